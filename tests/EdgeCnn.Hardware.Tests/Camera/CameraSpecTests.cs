using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>Parsing --camera values and creating the matching source.</summary>
public sealed class CameraSpecTests
{
    [Theory]
    [InlineData("v4l2", CameraKind.V4l2, "/dev/video0", 640, 480, null)]
    [InlineData("v4l2:/dev/video0", CameraKind.V4l2, "/dev/video0", 640, 480, null)]
    [InlineData("v4l2:/dev/video0:640x480:mjpeg", CameraKind.V4l2, "/dev/video0", 640, 480, PixelFormat.Mjpeg)]
    [InlineData("v4l2:/dev/video2:yuyv:320x240", CameraKind.V4l2, "/dev/video2", 320, 240, PixelFormat.Yuyv)]
    [InlineData("V4L2:1:MJPG", CameraKind.V4l2, "/dev/video1", 640, 480, PixelFormat.Mjpeg)]
    [InlineData("v4l2:/dev/v4l/by-path/platform-xhci-hcd.0-usb-0:1:1.0-video-index0:1280x720", CameraKind.V4l2, "/dev/v4l/by-path/platform-xhci-hcd.0-usb-0:1:1.0-video-index0", 1280, 720, null)]
    [InlineData("rpicam", CameraKind.Rpicam, "", 640, 480, null)]
    [InlineData("rpicam:1280x960", CameraKind.Rpicam, "", 1280, 960, null)]
    [InlineData("folder:/data/images", CameraKind.Folder, "/data/images", 0, 0, null)]
    [InlineData("folder:C:/odd:name", CameraKind.Folder, "C:/odd:name", 0, 0, null)]
    [InlineData("file:samples/0.png", CameraKind.File, "samples/0.png", 0, 0, null)]
    public void Valid_specs_parse(string text, CameraKind kind, string path, int width, int height, PixelFormat? format)
    {
        CameraSpec spec = CameraSpec.Parse(text);
        Assert.Equal(new CameraSpec(kind, text, path, width, height, format), spec);
    }

    [Theory]
    [InlineData("", "kind")]
    [InlineData("usb:0", "kind")]
    [InlineData("v4l2:", "device")]
    [InlineData("v4l2:video0", "device")]
    [InlineData("v4l2:/dev/video0:640x", "size")]
    [InlineData("v4l2:/dev/video0:0x480", "size")]
    [InlineData("v4l2:/dev/video0:640x480:320x240", "size")]
    [InlineData("v4l2:/dev/video0:rgb", "format")]
    [InlineData("v4l2:/dev/video0:mjpeg:yuyv", "format")]
    [InlineData("rpicam:big", "size")]
    [InlineData("rpicam:640x480:mjpeg", "size")]
    [InlineData("rpicam:99999x480", "size")]
    [InlineData("folder:", "path")]
    [InlineData("file:", "path")]
    public void Bad_specs_name_the_field(string text, string field)
    {
        var error = Assert.Throws<CameraSpecException>(() => CameraSpec.Parse(text));
        Assert.Equal(field, error.Field);
        Assert.Equal(text, error.Spec);
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void The_factory_creates_the_named_source()
    {
        using IFrameSource v4l2 = CameraFactory.Create("v4l2:/dev/video5:320x240:yuyv");
        Assert.IsType<V4l2FrameSource>(v4l2);
        Assert.Equal("v4l2:/dev/video5", v4l2.Description);

        using IFrameSource rpicam = CameraFactory.Create("rpicam:1280x960");
        Assert.IsType<RpicamFrameSource>(rpicam);
        Assert.Equal(new FrameFormat(1280, 960, PixelFormat.Mjpeg, 0), rpicam.Format);

        using IFrameSource folder = CameraFactory.Create("folder:/tmp/x");
        Assert.IsType<FolderFrameSource>(folder);
        using IFrameSource file = CameraFactory.Create("file:/tmp/x.png", cycleImages: false);
        Assert.IsType<FolderFrameSource>(file);
    }

    [Fact]
    public void A_folder_spec_opens_a_folder_of_the_sample_images()
    {
        string directory = Directory.CreateTempSubdirectory("edgecnn-spec-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(directory, "x.png"), [1, 2, 3]);
            using IFrameSource source = CameraFactory.Create($"folder:{directory}", cycleImages: false);
            source.Open();
            Assert.Equal([1, 2, 3], source.Capture(CancellationToken.None).Data.ToArray());
            Assert.Throws<FrameSourceExhaustedException>(() => source.Capture(CancellationToken.None));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
