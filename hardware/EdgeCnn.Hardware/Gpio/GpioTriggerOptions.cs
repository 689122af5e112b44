using System.Globalization;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>A GPIO input trigger: the chip (/dev/gpiochipN), the line on it (BCM numbering on a Raspberry Pi), which
/// edges fire, the input's pull resistor and the software debounce window.</summary>
public sealed record GpioTriggerOptions(int Chip, int Pin, GpioEdge Edge, GpioPull Pull, TimeSpan Debounce)
{
    /// <summary>Used when a spec names no window: long enough for typical push-button bounce (a few ms), short
    /// against the time one capture takes.</summary>
    public static TimeSpan DefaultDebounce { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The options as a trigger spec that parses back to them, e.g. "gpio:chip0:17:rising:50ms:pull-up".</summary>
    public string ToSpecText() => string.Create(CultureInfo.InvariantCulture,
        $"gpio:chip{Chip}:{Pin}:{Edge.ToSpecText()}:{Debounce.TotalMilliseconds}ms:{Pull.ToSpecText()}");
}
