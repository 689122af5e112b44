namespace EdgeCnn.Hardware.Camera;

/// <summary>What to ask rpicam-still (or libcamera-still) for.</summary>
/// <param name="Width">Output width (--width).</param>
/// <param name="Height">Output height (--height).</param>
/// <param name="CameraIndex">--camera N when the board has more than one camera; null for the default.</param>
/// <param name="WarmupMilliseconds">--timeout: how long the camera runs before the still is taken. 1 ms captures at
/// once; longer lets auto exposure and white balance settle (rpicam-still's own default is 5000).</param>
/// <param name="CommandTimeout">How long one capture may take before the subprocess is killed.</param>
public sealed record RpicamCameraOptions(
    int Width = 640,
    int Height = 480,
    int? CameraIndex = null,
    int WarmupMilliseconds = 1,
    TimeSpan? CommandTimeout = null)
{
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveCommandTimeout => CommandTimeout ?? DefaultCommandTimeout;
}
