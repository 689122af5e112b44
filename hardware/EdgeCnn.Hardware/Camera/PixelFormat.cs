namespace EdgeCnn.Hardware.Camera;

/// <summary>How a captured frame's bytes are laid out.</summary>
public enum PixelFormat
{
    /// <summary>Packed 8-bit R, G, B per pixel, rows of <see cref="FrameFormat.BytesPerLine"/> bytes.</summary>
    Rgb24,

    /// <summary>8-bit luma per pixel.</summary>
    Gray8,

    /// <summary>YUV 4:2:2 packed as Y0 U Y1 V (V4L2_PIX_FMT_YUYV), two pixels per 4 bytes.</summary>
    Yuyv,

    /// <summary>One JPEG image per frame (V4L2_PIX_FMT_MJPEG, rpicam-still output).</summary>
    Mjpeg,

    /// <summary>A whole image file (PNG, JPEG, BMP) as read from disk; its size is known only after decoding.</summary>
    EncodedFile,
}
