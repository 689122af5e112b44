using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>The folder/file source: name order, extension filter, cycling or one pass, and clear errors.</summary>
public sealed class FolderFrameSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgecnn-folder-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, int length)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, Enumerable.Range(0, length).Select(i => (byte)(i + name[0])).ToArray());
        return path;
    }

    [Fact]
    public void Images_come_in_ordinal_name_order_and_cycle()
    {
        Write("b.png", 10);
        Write("a.jpg", 20);
        Write("C.BMP", 30);
        Write("notes.txt", 5);
        Write("d.jpeg", 40);
        using var source = new FolderFrameSource(new FolderCameraOptions(_directory));
        source.Open();

        string[] expected = ["C.BMP", "a.jpg", "b.png", "d.jpeg", "C.BMP", "a.jpg"];
        for (int i = 0; i < expected.Length; i++)
        {
            Frame frame = source.Capture(CancellationToken.None);
            Assert.Equal(expected[i], frame.Name);
            Assert.Equal(i, frame.Sequence);
            Assert.Equal(new FrameFormat(0, 0, PixelFormat.EncodedFile, 0), frame.Format);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, expected[i])), frame.Data.ToArray());
        }
        Assert.Contains("4 images, cycling", source.Description);
    }

    [Fact]
    public void One_pass_ends_with_an_exhausted_error()
    {
        Write("1.png", 10);
        Write("2.png", 12);
        using var source = new FolderFrameSource(new FolderCameraOptions(_directory, Cycle: false));
        source.Open();
        Assert.Equal("1.png", source.Capture(CancellationToken.None).Name);
        Assert.Equal("2.png", source.Capture(CancellationToken.None).Name);
        var error = Assert.Throws<FrameSourceExhaustedException>(() => source.Capture(CancellationToken.None));
        Assert.IsAssignableFrom<HardwareException>(error);
        Assert.Contains("all 2 images", error.Message);
    }

    [Fact]
    public void A_single_file_is_replayed()
    {
        string path = Write("only.jpg", 50);
        using var source = new FolderFrameSource(new FolderCameraOptions(path));
        source.Open();
        for (int i = 0; i < 3; i++)
            Assert.Equal(File.ReadAllBytes(path), source.Capture(CancellationToken.None).Data.ToArray());
    }

    [Fact]
    public void A_missing_path_is_reported_at_open()
    {
        string missing = Path.Combine(_directory, "nope");
        using var source = new FolderFrameSource(new FolderCameraOptions(missing));
        var error = Assert.Throws<HardwareException>(source.Open);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_folder_without_images_is_reported_at_open()
    {
        Write("readme.txt", 3);
        using var source = new FolderFrameSource(new FolderCameraOptions(_directory));
        var error = Assert.Throws<HardwareException>(source.Open);
        Assert.Contains(_directory, error.Message);
        Assert.Contains("no .png/.jpg/.jpeg/.bmp images", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_reported_at_open()
    {
        string path = Write("data.csv", 3);
        using var source = new FolderFrameSource(new FolderCameraOptions(path));
        Assert.Throws<HardwareException>(source.Open);
    }

    [Fact]
    public void A_file_removed_after_open_is_reported_naming_it()
    {
        string path = Write("gone.png", 10);
        using var source = new FolderFrameSource(new FolderCameraOptions(_directory));
        source.Open();
        File.Delete(path);
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("gone.png", error.Message);
    }

    [Fact]
    public void Frames_reuse_one_buffer()
    {
        Write("a.png", 100);
        Write("b.png", 60);
        using var source = new FolderFrameSource(new FolderCameraOptions(_directory));
        source.Open();
        Frame first = source.Capture(CancellationToken.None);
        Frame second = source.Capture(CancellationToken.None);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.Data, out var a));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second.Data, out var b));
        Assert.Same(a.Array, b.Array);
        Assert.Equal(60, second.Data.Length);
    }
}
