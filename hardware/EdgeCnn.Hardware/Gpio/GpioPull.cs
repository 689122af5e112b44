using System.Device.Gpio;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>The input's internal bias resistor. A button wired to ground needs <see cref="Up"/> so the line reads
/// high when released; one wired to 3.3 V needs <see cref="Down"/>. <see cref="None"/> for sensors that drive the
/// line themselves (most PIR modules) or for an external resistor.</summary>
public enum GpioPull
{
    None,
    Up,
    Down,
}

internal static class GpioPullExtensions
{
    public static PinMode ToPinMode(this GpioPull pull) => pull switch
    {
        GpioPull.None => PinMode.Input,
        GpioPull.Up => PinMode.InputPullUp,
        GpioPull.Down => PinMode.InputPullDown,
        _ => throw new ArgumentOutOfRangeException(nameof(pull), pull, "unknown GPIO pull mode"),
    };

    /// <summary>The spelling used in trigger specs ("pull-none", "pull-up", "pull-down").</summary>
    public static string ToSpecText(this GpioPull pull) => pull switch
    {
        GpioPull.None => "pull-none",
        GpioPull.Up => "pull-up",
        GpioPull.Down => "pull-down",
        _ => throw new ArgumentOutOfRangeException(nameof(pull), pull, "unknown GPIO pull mode"),
    };
}
