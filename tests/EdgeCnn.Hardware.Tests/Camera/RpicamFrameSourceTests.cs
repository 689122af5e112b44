using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>
/// rpicam-still as a subprocess, against fake commands: small shell scripts in a temporary folder that is the only
/// search path. The scripts record their arguments and write (or fail to write) the image like the real tool.
/// </summary>
public sealed class RpicamFrameSourceTests : IDisposable
{
    private static readonly byte[] FakeJpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03, 0xFF, 0xD9];

    private readonly string _bin = Directory.CreateTempSubdirectory("edgecnn-rpicam-bin-").FullName;

    public RpicamFrameSourceTests()
    {
        File.WriteAllBytes(Path.Combine(_bin, "fixture.jpg"), FakeJpeg);
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private static void RequireUnix()
    {
        if (OperatingSystem.IsWindows())
            Assert.Skip("The fake rpicam-still commands are POSIX shell scripts.");
    }

    /// <summary>A script that records its arguments, then runs <paramref name="body"/> with $out set to the -o value.</summary>
    private void WriteCommand(string name, string body)
    {
        string path = Path.Combine(_bin, name);
        File.WriteAllText(path, $$"""
            #!/bin/sh
            printf '%s\n' "$@" > "{{_bin}}/{{name}}.args"
            out=""
            while [ $# -gt 0 ]; do
              if [ "$1" = "-o" ]; then out="$2"; fi
              shift
            done
            {{body}}
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private RpicamFrameSource Source(int width = 320, int height = 240, int? camera = null) =>
        new(new RpicamCameraOptions(width, height, camera), _bin, TimeProvider.System);

    private string[] RecordedArguments(string name) => File.ReadAllLines(Path.Combine(_bin, name + ".args"));

    [Fact]
    public void Capture_runs_rpicam_still_and_returns_its_jpeg()
    {
        RequireUnix();
        WriteCommand("rpicam-still", $"cat \"{_bin}/fixture.jpg\" > \"$out\"");
        using var source = Source();
        source.Open();
        Assert.EndsWith("rpicam-still", source.CommandPath);

        Frame first = source.Capture(CancellationToken.None);
        Frame second = source.Capture(CancellationToken.None);

        Assert.Equal(new FrameFormat(320, 240, PixelFormat.Mjpeg, 0), first.Format);
        Assert.Equal(FakeJpeg, second.Data.ToArray());
        Assert.Equal(0, first.Sequence);
        Assert.Equal(1, second.Sequence);
        string[] arguments = RecordedArguments("rpicam-still");
        Assert.Equal(["-n", "-t", "1", "--width", "320", "--height", "240", "-e", "jpg", "-o"], arguments[..^1]);
        Assert.EndsWith("frame.jpg", arguments[^1]);
        Assert.Equal("rpicam 320x240 Mjpeg via rpicam-still", source.Description);
    }

    [Fact]
    public void The_camera_index_is_passed_when_given()
    {
        RequireUnix();
        WriteCommand("rpicam-still", $"cat \"{_bin}/fixture.jpg\" > \"$out\"");
        using var source = Source(camera: 1);
        source.Open();
        source.Capture(CancellationToken.None);
        string[] arguments = RecordedArguments("rpicam-still");
        int at = Array.IndexOf(arguments, "--camera");
        Assert.True(at > 0);
        Assert.Equal("1", arguments[at + 1]);
    }

    [Fact]
    public void Libcamera_still_is_used_when_rpicam_still_is_absent()
    {
        RequireUnix();
        WriteCommand("libcamera-still", $"cat \"{_bin}/fixture.jpg\" > \"$out\"");
        using var source = Source();
        source.Open();
        Assert.EndsWith("libcamera-still", source.CommandPath);
        Assert.Equal(FakeJpeg, source.Capture(CancellationToken.None).Data.ToArray());
    }

    [Fact]
    public void A_file_without_execute_permission_is_not_taken_for_the_command()
    {
        RequireUnix();
        File.WriteAllText(Path.Combine(_bin, "rpicam-still"), "not a program");
        File.SetUnixFileMode(Path.Combine(_bin, "rpicam-still"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var source = Source();
        var error = Assert.Throws<HardwareException>(source.Open);
        Assert.Contains("neither rpicam-still nor libcamera-still", error.Message);
    }

    [Fact]
    public void Missing_commands_are_reported_at_open()
    {
        using var source = Source();
        var error = Assert.Throws<HardwareException>(source.Open);
        Assert.Contains("neither rpicam-still nor libcamera-still was found", error.Message);
        Assert.Contains("apt install rpicam-apps", error.Message);
    }

    [Fact]
    public void A_failing_command_is_reported_with_its_exit_code_and_stderr_tail()
    {
        RequireUnix();
        WriteCommand("rpicam-still", "echo 'Preview window unavailable' >&2\necho 'ERROR: *** no cameras available ***' >&2\nexit 255");
        using var source = Source();
        source.Open();
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("rpicam-still exited with code 255", error.Message);
        Assert.Contains("no cameras available", error.Message);
    }

    [Fact]
    public void A_command_that_writes_no_image_is_reported()
    {
        RequireUnix();
        WriteCommand("rpicam-still", "echo done >&2\nexit 0");
        using var source = Source();
        source.Open();
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("wrote no image", error.Message);
    }

    [Fact]
    public void Output_that_is_not_a_jpeg_is_reported()
    {
        RequireUnix();
        WriteCommand("rpicam-still", "printf 'PNG image here' > \"$out\"");
        using var source = Source();
        source.Open();
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("not a JPEG", error.Message);
    }

    [Fact]
    public void Cancellation_kills_a_running_capture()
    {
        RequireUnix();
        WriteCommand("rpicam-still", $"touch \"{_bin}/started\"\nsleep 30\ncat \"{_bin}/fixture.jpg\" > \"$out\"");
        using var source = Source();
        source.Open();
        using var cancel = new CancellationTokenSource();
        var capture = Task.Run(() => source.Capture(cancel.Token));
        // Cancel once the script is running, so the kill path (not the early check) is what stops it.
        SpinWait.SpinUntil(() => File.Exists(Path.Combine(_bin, "started")) || capture.IsCompleted, TimeSpan.FromSeconds(20));
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => capture.GetAwaiter().GetResult());
    }

    [Fact]
    public void Dispose_removes_the_temporary_folder()
    {
        RequireUnix();
        WriteCommand("rpicam-still", $"cat \"{_bin}/fixture.jpg\" > \"$out\"");
        var source = Source();
        source.Open();
        source.Capture(CancellationToken.None);
        string folder = Path.GetDirectoryName(RecordedArguments("rpicam-still")[^1])!;
        Assert.True(Directory.Exists(folder));
        source.Dispose();
        Assert.False(Directory.Exists(folder));
        Assert.Throws<ObjectDisposedException>(() => source.Capture(CancellationToken.None));
    }

    [Theory]
    [InlineData(0, 240)]
    [InlineData(320, 20000)]
    public void Invalid_sizes_are_rejected(int width, int height) =>
        Assert.Throws<ArgumentException>(() => new RpicamFrameSource(new RpicamCameraOptions(width, height)));
}
