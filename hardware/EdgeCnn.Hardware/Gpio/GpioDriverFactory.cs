using System.Device.Gpio;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// Opens the driver for one GPIO chip (/dev/gpiochipN). Triggers and output pins take one of these instead of a
/// driver so that each owns (and disposes) its own driver, and tests can hand in a fake. Production uses
/// <see cref="LibGpiodChip.OpenDriver(int)"/>.
/// </summary>
/// <exception cref="HardwareException">The chip does not exist or cannot be opened.</exception>
public delegate GpioDriver GpioDriverFactory(int chip);
