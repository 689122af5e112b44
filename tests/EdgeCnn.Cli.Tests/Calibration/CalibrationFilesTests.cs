using EdgeCnn.Cli.Calibration;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;

namespace EdgeCnn.Cli.Tests.Calibration;

public class CalibrationFilesTests
{
    [Fact]
    public void Folders_are_searched_recursively_in_ordinal_order_skipping_hidden_and_other_files()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "b/disc.png", "a/z.npy", "a/B.PNG", "a/sub/t.pb", ".hidden/x.png", "a/.y.png", "notes.txt", "a/labels.txt", "Z.jpg" })
        {
            string path = dir.File(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [0]);
        }
        var files = CalibrationFiles.List([dir.Path]).Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/')).ToList();
        // Ordinal: upper case before lower case, '/' (0x2F) before letters.
        Assert.Equal(["Z.jpg", "a/B.PNG", "a/sub/t.pb", "a/z.npy", "b/disc.png"], files);
    }

    [Fact]
    public void Arguments_keep_their_order_and_files_are_taken_as_given()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("d"));
        File.WriteAllBytes(dir.File("d/2.png"), [0]);
        File.WriteAllBytes(dir.File("d/1.png"), [0]);
        File.WriteAllBytes(dir.File("extra.bin"), [0]);
        var files = CalibrationFiles.List([dir.File("extra.bin"), dir.File("d")]);
        Assert.Equal([dir.File("extra.bin"), Path.Combine(dir.File("d"), "1.png"), Path.Combine(dir.File("d"), "2.png")], files);
    }

    [Fact]
    public void Missing_paths_and_folders_without_samples_are_input_errors()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("readme.txt"), "no images here");
        Assert.Contains("holds no calibration files", Assert.Throws<InputFileException>(() => CalibrationFiles.List([dir.Path])).Message);
        Assert.Contains("no such file or directory", Assert.Throws<InputFileException>(() => CalibrationFiles.List([dir.File("nope")])).Message);
    }

    [Theory]
    [InlineData(10, 4, new[] { 0, 2, 5, 7 })]
    [InlineData(10, 1, new[] { 0 })]
    [InlineData(3, 2, new[] { 0, 1 })]
    [InlineData(3, 3, new[] { 0, 1, 2 })]
    [InlineData(3, 8, new[] { 0, 1, 2 })]
    public void Picks_are_spread_evenly_over_the_list(int total, int count, int[] expected)
    {
        var files = Enumerable.Range(0, total).Select(i => $"f{i}").ToList();
        Assert.Equal(expected.Select(i => $"f{i}"), CalibrationFiles.Pick(files, count));
    }
}
