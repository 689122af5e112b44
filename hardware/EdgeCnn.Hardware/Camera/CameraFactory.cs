namespace EdgeCnn.Hardware.Camera;

/// <summary>Creates the frame source a camera spec names (not yet opened: the caller calls
/// <see cref="IFrameSource.Open"/>, so a failure to open is reported where the pipeline starts).</summary>
public static class CameraFactory
{
    /// <param name="spec">A --camera value, see <see cref="CameraSpec"/>.</param>
    /// <param name="cycleImages">For folder and file sources: replay from the start after the last image (true) or
    /// stop with <see cref="FrameSourceExhaustedException"/> (false).</param>
    /// <exception cref="CameraSpecException">The spec is malformed.</exception>
    public static IFrameSource Create(string spec, bool cycleImages = true) => Create(CameraSpec.Parse(spec), cycleImages);

    public static IFrameSource Create(CameraSpec spec, bool cycleImages = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            CameraKind.V4l2 => new V4l2FrameSource(new V4l2CameraOptions(spec.Path, spec.Width, spec.Height, spec.PixelFormat)),
            CameraKind.Rpicam => new RpicamFrameSource(new RpicamCameraOptions(spec.Width, spec.Height)),
            CameraKind.Folder or CameraKind.File => new FolderFrameSource(new FolderCameraOptions(spec.Path, cycleImages)),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, $"Camera spec '{spec.Text}': unknown kind."),
        };
    }
}
