using System.Device.Gpio;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// Opens a controller on a chip and claims one pin in a mode, turning every way that can fail (no chip, no such
/// line, a mode the driver cannot do, a line held by another process) into one <see cref="HardwareException"/> that
/// names the chip, the pin, what it was for and the cause, so the user sees it at startup rather than mid-run.
/// </summary>
internal static class GpioPinSetup
{
    /// <param name="role">What the pin is for, for the message ("trigger input", "output").</param>
    public static GpioController OpenPin(GpioDriverFactory driverFactory, int chip, int pin, PinMode mode, string role)
    {
        ArgumentNullException.ThrowIfNull(driverFactory);
        string where = $"GPIO pin {pin} on /dev/gpiochip{chip} ({role})";
        GpioController? controller = null;
        try
        {
            GpioDriver driver = driverFactory(chip);
            controller = new GpioController(driver);
            int lines = controller.PinCount;
            if (pin >= lines)
            {
                throw new HardwareException($"{where}: the chip has only {lines} lines (0..{lines - 1})");
            }

            if (!controller.IsPinModeSupported(pin, mode))
            {
                throw new HardwareException($"{where}: the driver does not support mode {Describe(mode)} on this pin" +
                    (mode is PinMode.InputPullUp or PinMode.InputPullDown ? " (use pull-none and an external resistor)" : ""));
            }

            if (mode == PinMode.Output)
            {
                // Start low so an LED or relay does not flash on at startup.
                controller.OpenPin(pin, PinMode.Output, PinValue.Low);
            }
            else
            {
                controller.OpenPin(pin, mode);
            }

            return controller;
        }
        catch (HardwareException ex)
        {
            controller?.Dispose();
            if (ex.Message.StartsWith(where, StringComparison.Ordinal))
            {
                throw;
            }

            // The chip-level message from the factory names the chip but not the pin or its purpose.
            throw new HardwareException($"{where}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            controller?.Dispose();
            throw new HardwareException($"{where} cannot be claimed: {ex.Message} " +
                "(another process or a kernel driver may hold it; `gpioinfo` shows the consumer)", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or UnauthorizedAccessException or ArgumentException
                                       or NotSupportedException)
        {
            controller?.Dispose();
            throw new HardwareException($"{where} cannot be set up as {Describe(mode)}: {ex.Message}", ex);
        }
    }

    public static string Describe(PinMode mode) => mode switch
    {
        PinMode.Input => "input",
        PinMode.InputPullUp => "input with pull-up",
        PinMode.InputPullDown => "input with pull-down",
        PinMode.Output => "output",
        _ => mode.ToString(),
    };
}
