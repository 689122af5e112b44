using System.Device.Gpio;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>Which signal change fires a GPIO trigger. With a pull-up and a button to ground, pressing gives a
/// falling edge; a PIR sensor's output goes high on motion (rising).</summary>
public enum GpioEdge
{
    Rising,
    Falling,
    Both,
}

internal static class GpioEdgeExtensions
{
    public static PinEventTypes ToEventTypes(this GpioEdge edge) => edge switch
    {
        GpioEdge.Rising => PinEventTypes.Rising,
        GpioEdge.Falling => PinEventTypes.Falling,
        GpioEdge.Both => PinEventTypes.Rising | PinEventTypes.Falling,
        _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "unknown GPIO edge"),
    };

    /// <summary>The spelling used in trigger specs ("rising", "falling", "both").</summary>
    public static string ToSpecText(this GpioEdge edge) => edge switch
    {
        GpioEdge.Rising => "rising",
        GpioEdge.Falling => "falling",
        GpioEdge.Both => "both",
        _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "unknown GPIO edge"),
    };
}
