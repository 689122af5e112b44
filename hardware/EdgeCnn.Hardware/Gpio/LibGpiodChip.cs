using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// The production <see cref="GpioDriverFactory"/>: System.Device.Gpio's libgpiod driver on the character device
/// /dev/gpiochipN (the deprecated /sys/class/gpio interface is not used).
/// </summary>
/// <remarks>
/// Which chip carries the 40-pin header: gpiochip0 on the Raspberry Pi 4 and earlier (label "pinctrl-bcm2711" /
/// "pinctrl-bcm2835"). On the Pi 5 the header belongs to the RP1 chip ("pinctrl-rp1"), which older Raspberry Pi OS
/// kernels number gpiochip4 and newer ones (6.6.45 and later) gpiochip0. On Jetson boards the header lines are spread
/// over the Tegra chips and their line numbers are not BCM numbers. `gpiodetect` and `gpioinfo` (package gpiod) show
/// the chips and which lines are in use. The chip defaults to 0 and is chosen with "gpio:chipN:PIN" in a trigger
/// spec.
/// </remarks>
public static class LibGpiodChip
{
    /// <summary>The factory for real hardware.</summary>
    public static GpioDriverFactory Factory { get; } = OpenDriver;

    /// <inheritdoc cref="GpioDriverFactory"/>
    public static GpioDriver OpenDriver(int chip) => OpenDriver(chip, "/dev");

    /// <param name="deviceDirectory">Where the gpiochip device files live; tests point it at an empty directory.</param>
    internal static GpioDriver OpenDriver(int chip, string deviceDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chip);
        string path = Path.Combine(deviceDirectory, $"gpiochip{chip}");
        // libgpiod's own error for a missing chip is a bare errno; checking first lets the message list what exists.
        if (!File.Exists(path))
        {
            throw new HardwareException($"GPIO chip {path} does not exist ({DescribeAvailableChips(deviceDirectory)}); " +
                "pick another chip with gpio:chipN:PIN (see `gpiodetect`)");
        }

        try
        {
            return new LibGpiodDriver(chip);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new HardwareException($"GPIO chip {path}: the libgpiod library could not be loaded " +
                $"(install it: apt install libgpiod2, or libgpiod3 on newer distributions): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException)
        {
            // System.Device.Gpio reports a missing libgpiod as a GpiodException (an IOException) naming the library.
            bool libraryMissing = ex.Message.Contains("library", StringComparison.OrdinalIgnoreCase);
            throw new HardwareException($"GPIO chip {path} cannot be opened: {ex.Message.Trim()} " + (libraryMissing
                ? "(install libgpiod: apt install libgpiod2, or libgpiod3 on newer distributions)"
                : "(is the user in the 'gpio' group? see docs/deploy.md, 'GPIO without root')"), ex);
        }
    }

    private static string DescribeAvailableChips(string deviceDirectory)
    {
        string[] chips = Directory.Exists(deviceDirectory)
            ? Directory.GetFiles(deviceDirectory, "gpiochip*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
        return chips.Length == 0 ? "this machine has no GPIO chips" : "available: " + string.Join(", ", chips);
    }
}
