namespace EdgeCnn.Hardware.Camera;

/// <summary>The kinds of frame source a camera spec can name.</summary>
public enum CameraKind
{
    /// <summary>A V4L2 device node (USB webcams, CSI bridges exposing a plain capture node).</summary>
    V4l2,

    /// <summary>A Raspberry Pi camera module through rpicam-still / libcamera-still.</summary>
    Rpicam,

    /// <summary>The images of a folder, replayed.</summary>
    Folder,

    /// <summary>One image file, replayed.</summary>
    File,
}
