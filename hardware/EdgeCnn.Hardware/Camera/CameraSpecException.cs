namespace EdgeCnn.Hardware.Camera;

/// <summary>A camera spec (the --camera value) that cannot be parsed; <see cref="Field"/> names the part at fault
/// ("kind", "device", "size", "format" or "path").</summary>
public sealed class CameraSpecException : FormatException
{
    public CameraSpecException(string spec, string field, string problem)
        : base($"Camera spec '{spec}': {field}: {problem}. Expected v4l2:/dev/videoN[:WxH][:yuyv|mjpeg], rpicam[:WxH], folder:DIR or file:PATH.")
    {
        Spec = spec;
        Field = field;
    }

    public string Spec { get; }

    public string Field { get; }
}
