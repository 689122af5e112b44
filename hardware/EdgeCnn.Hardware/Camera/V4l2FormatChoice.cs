using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Camera;

/// <summary>Which of a device's pixel formats the capture code can deliver, and in which order to try them.</summary>
internal static class V4l2FormatChoice
{
    /// <summary>The frame format a V4L2 fourcc is delivered as, or null when the pipeline cannot use it.</summary>
    public static PixelFormat? ToPixelFormat(uint fourcc) =>
        fourcc == V4l2Constants.PixelFormatYuyv ? PixelFormat.Yuyv
        : fourcc == V4l2Constants.PixelFormatMjpeg || fourcc == V4l2Constants.PixelFormatJpeg ? PixelFormat.Mjpeg
        : null;

    /// <summary>
    /// The usable formats among <paramref name="offered"/>: those matching <paramref name="preferred"/> first, then
    /// the others in the device's order (drivers list their natural format first).
    /// </summary>
    public static List<uint> Candidates(IReadOnlyList<uint> offered, PixelFormat? preferred)
    {
        var usable = offered.Where(f => ToPixelFormat(f) is not null).Distinct().ToList();
        if (preferred is null)
            return usable;
        return usable.Where(f => ToPixelFormat(f) == preferred).Concat(usable.Where(f => ToPixelFormat(f) != preferred)).ToList();
    }
}
