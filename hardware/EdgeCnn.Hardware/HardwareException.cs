namespace EdgeCnn.Hardware;

/// <summary>A device the pipeline needs cannot be used: a missing /dev/gpiochipN or /dev/videoN, a pin already in use,
/// a camera that refuses every format, a capture that failed. The message names the device, pin or file and what
/// was attempted.</summary>
public class HardwareException : Exception
{
    public HardwareException(string message) : base(message) { }

    public HardwareException(string message, Exception inner) : base(message, inner) { }
}
