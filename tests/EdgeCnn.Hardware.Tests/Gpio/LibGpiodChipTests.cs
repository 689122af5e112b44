using EdgeCnn.Hardware.Gpio;

namespace EdgeCnn.Hardware.Tests.Gpio;

/// <summary>The production driver factory's checks that run before libgpiod is touched, so they need no GPIO
/// hardware: a temporary directory stands in for /dev.</summary>
public sealed class LibGpiodChipTests : IDisposable
{
    private readonly string _dev = Directory.CreateTempSubdirectory("edgecnn-dev-").FullName;

    public void Dispose() => Directory.Delete(_dev, recursive: true);

    [Fact]
    public void A_missing_chip_is_named_and_none_available_is_said()
    {
        var ex = Assert.Throws<HardwareException>(() => LibGpiodChip.OpenDriver(4, _dev));

        Assert.Contains(Path.Combine(_dev, "gpiochip4"), ex.Message);
        Assert.Contains("no GPIO chips", ex.Message);
    }

    [Fact]
    public void A_missing_chip_lists_the_chips_that_exist()
    {
        File.WriteAllText(Path.Combine(_dev, "gpiochip0"), "");
        File.WriteAllText(Path.Combine(_dev, "gpiochip1"), "");

        var ex = Assert.Throws<HardwareException>(() => LibGpiodChip.OpenDriver(4, _dev));

        Assert.Contains("available: gpiochip0, gpiochip1", ex.Message);
    }

    [Fact]
    public void A_chip_file_libgpiod_cannot_open_gives_a_hardware_exception_with_a_hint()
    {
        // The stand-in /dev passes the existence check; libgpiod then tries the real chip 0, which this machine lacks
        // (or it lacks libgpiod itself). Either way the user gets the path and what to do, not a raw interop error.
        Assert.SkipWhen(File.Exists("/dev/gpiochip0"), "this machine has a real /dev/gpiochip0");
        File.WriteAllText(Path.Combine(_dev, "gpiochip0"), "");

        var ex = Assert.Throws<HardwareException>(() => LibGpiodChip.OpenDriver(0, _dev));

        Assert.Contains(Path.Combine(_dev, "gpiochip0"), ex.Message);
        Assert.True(ex.Message.Contains("apt install libgpiod", StringComparison.Ordinal) || ex.Message.Contains("'gpio' group", StringComparison.Ordinal), ex.Message);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void A_trigger_on_a_chip_this_machine_lacks_fails_with_a_hardware_exception()
    {
        // The real factory on the real /dev: the build machines have no gpiochip99.
        Assert.SkipWhen(File.Exists("/dev/gpiochip99"), "this machine has a /dev/gpiochip99");
        using var trigger = new GpioTrigger(new GpioTriggerOptions(99, 17, GpioEdge.Rising, GpioPull.None, TimeSpan.Zero), LibGpiodChip.Factory);

        var ex = Assert.Throws<HardwareException>(() => trigger.Start(_ => { }));

        Assert.Contains("/dev/gpiochip99", ex.Message);
        Assert.Contains("pin 17", ex.Message);
    }
}
