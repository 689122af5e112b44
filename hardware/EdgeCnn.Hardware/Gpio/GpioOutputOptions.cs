using System.Globalization;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// A GPIO output driven by one class's score: the pin is high while <see cref="ClassName"/> scores at least
/// <see cref="Threshold"/> in the latest result. <see cref="ClassName"/> matches a label (case-insensitive) or, when
/// it is a number, a class index.
/// </summary>
public sealed record GpioOutputOptions(int Chip, int Pin, string ClassName, float Threshold)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"GPIO pin {Pin} on /dev/gpiochip{Chip} high while '{ClassName}' >= {Threshold:0.###}");
}
