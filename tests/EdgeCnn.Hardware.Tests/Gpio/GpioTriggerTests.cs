using System.Device.Gpio;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Tests.Fakes;

namespace EdgeCnn.Hardware.Tests.Gpio;

public sealed class GpioTriggerTests
{
    private const int Pin = 17;

    private static (GpioTrigger Trigger, FakeGpioDriver Driver, ManualTimeProvider Clock, List<TriggerEvent> Events) Started(
        GpioEdge edge = GpioEdge.Rising, GpioPull pull = GpioPull.None, double debounceMs = 50)
    {
        var clock = new ManualTimeProvider();
        var driver = new FakeGpioDriver(clock: clock);
        var trigger = new GpioTrigger(new GpioTriggerOptions(0, Pin, edge, pull, TimeSpan.FromMilliseconds(debounceMs)), driver.Factory, clock);
        var events = new List<TriggerEvent>();
        trigger.Start(e => { lock (events) { events.Add(e); } });
        return (trigger, driver, clock, events);
    }

    [Fact]
    public void A_burst_of_edges_within_the_window_gives_one_trigger()
    {
        var (trigger, driver, _, events) = Started(debounceMs: 50);
        // Contact bounce: five rising edges within 12 ms.
        foreach (double ms in new[] { 100, 101, 103, 107, 112 })
        {
            driver.RaiseEdgeAt(Pin, PinEventTypes.Rising, TimeSpan.FromMilliseconds(ms));
        }

        Assert.Single(events);
        Assert.Equal(4, trigger.SuppressedEdges);
        trigger.Stop();
    }

    [Fact]
    public void Edges_further_apart_than_the_window_each_trigger_and_are_numbered()
    {
        var (trigger, driver, clock, events) = Started(debounceMs: 50);
        DateTimeOffset start = clock.GetUtcNow();
        // 0/49 ms: one press with bounce; 50 ms after the accepted edge the window has passed.
        double[] times = [0, 49, 100, 150, 199, 400];
        foreach (double ms in times)
        {
            driver.RaiseEdgeAt(Pin, PinEventTypes.Rising, TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Sequence));
        Assert.Equal([0.0, 100, 150, 400], events.Select(e => (e.Timestamp - start).TotalMilliseconds));
        Assert.All(events, e => Assert.Equal(trigger.Description, e.Source));
        trigger.Stop();
    }

    [Fact]
    public void A_zero_window_passes_every_edge()
    {
        var (trigger, driver, _, events) = Started(debounceMs: 0);
        for (int i = 0; i < 5; i++)
        {
            driver.RaiseEdge(Pin, PinEventTypes.Rising);
        }

        Assert.Equal(5, events.Count);
        trigger.Stop();
    }

    [Theory]
    [InlineData(GpioEdge.Rising, PinEventTypes.Rising, 2, 0)]
    [InlineData(GpioEdge.Falling, PinEventTypes.Falling, 0, 2)]
    [InlineData(GpioEdge.Both, PinEventTypes.Rising | PinEventTypes.Falling, 2, 2)]
    public void Only_the_chosen_edges_are_requested_and_fire(GpioEdge edge, PinEventTypes requested, int risingFires, int fallingFires)
    {
        var (trigger, driver, _, events) = Started(edge, debounceMs: 0);
        Assert.Equal(requested, driver.RegisteredEdges(Pin));

        driver.RaiseEdge(Pin, PinEventTypes.Rising);
        driver.RaiseEdge(Pin, PinEventTypes.Rising);
        int afterRising = events.Count;
        driver.RaiseEdge(Pin, PinEventTypes.Falling);
        driver.RaiseEdge(Pin, PinEventTypes.Falling);

        Assert.Equal(risingFires, afterRising);
        Assert.Equal(fallingFires, events.Count - afterRising);
        trigger.Stop();
    }

    [Theory]
    [InlineData(GpioPull.None, PinMode.Input)]
    [InlineData(GpioPull.Up, PinMode.InputPullUp)]
    [InlineData(GpioPull.Down, PinMode.InputPullDown)]
    public void The_pull_mode_reaches_the_driver(GpioPull pull, PinMode expected)
    {
        var (trigger, driver, _, _) = Started(pull: pull);
        Assert.True(driver.IsOpen(Pin));
        Assert.Equal(expected, driver.ModeOf(Pin));
        trigger.Stop();
    }

    [Fact]
    public void Stop_unregisters_the_callback_closes_the_pin_and_silences_later_edges()
    {
        var (trigger, driver, _, events) = Started(debounceMs: 0);
        driver.RaiseEdge(Pin, PinEventTypes.Rising);
        Assert.Equal(1, driver.CallbackCount(Pin));

        trigger.Stop();

        Assert.Equal(0, driver.CallbackCount(Pin));
        Assert.False(driver.IsOpen(Pin));
        Assert.Equal(1, driver.DisposeCount);
        Assert.Equal(0, driver.RaiseEdge(Pin, PinEventTypes.Rising));
        Assert.Single(events);
        trigger.Stop();
        Assert.Equal(1, driver.DisposeCount);
    }

    [Fact]
    public void A_stopped_trigger_can_start_again_and_the_pin_is_free_for_others()
    {
        var (trigger, driver, clock, events) = Started(debounceMs: 0);
        trigger.Stop();
        using var other = new GpioTrigger(new GpioTriggerOptions(0, Pin, GpioEdge.Rising, GpioPull.None, TimeSpan.Zero), driver.Factory, clock);
        other.Start(_ => { });
        other.Stop();

        trigger.Start(e => events.Add(e));
        driver.RaiseEdge(Pin, PinEventTypes.Rising);
        Assert.Single(events);
        Assert.Equal(1, events[0].Sequence);
        trigger.Dispose();
        Assert.False(driver.IsOpen(Pin));
    }

    [Fact]
    public void Starting_twice_is_refused()
    {
        var (trigger, _, _, _) = Started();
        Assert.Throws<InvalidOperationException>(() => trigger.Start(_ => { }));
        trigger.Stop();
    }

    [Fact]
    public void A_missing_chip_fails_at_start_naming_chip_and_pin()
    {
        var driver = new FakeGpioDriver();
        driver.SimulateMissingChip(4);
        using var trigger = new GpioTrigger(new GpioTriggerOptions(4, Pin, GpioEdge.Rising, GpioPull.None, TimeSpan.Zero), driver.Factory);

        var ex = Assert.Throws<HardwareException>(() => trigger.Start(_ => { }));

        Assert.Contains("/dev/gpiochip4", ex.Message);
        Assert.Contains($"pin {Pin}", ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void A_pin_in_use_fails_at_start_naming_the_pin_and_the_cause()
    {
        var driver = new FakeGpioDriver();
        driver.SimulatePinInUse(Pin, "pigpiod");
        using var trigger = new GpioTrigger(new GpioTriggerOptions(0, Pin, GpioEdge.Rising, GpioPull.Up, TimeSpan.Zero), driver.Factory);

        var ex = Assert.Throws<HardwareException>(() => trigger.Start(_ => { }));

        Assert.Contains($"GPIO pin {Pin} on /dev/gpiochip0", ex.Message);
        Assert.Contains("busy", ex.Message);
        Assert.Contains("pigpiod", ex.Message);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public void A_pull_mode_the_driver_cannot_do_fails_at_start()
    {
        var driver = new FakeGpioDriver();
        driver.SimulateUnsupportedMode(PinMode.InputPullDown);
        using var trigger = new GpioTrigger(new GpioTriggerOptions(0, Pin, GpioEdge.Rising, GpioPull.Down, TimeSpan.Zero), driver.Factory);

        var ex = Assert.Throws<HardwareException>(() => trigger.Start(_ => { }));

        Assert.Contains($"GPIO pin {Pin} on /dev/gpiochip0", ex.Message);
        Assert.Contains("pull-down", ex.Message);
        Assert.False(driver.IsOpen(Pin));
    }

    [Fact]
    public void A_pin_beyond_the_chip_fails_at_start_with_the_line_count()
    {
        var driver = new FakeGpioDriver(pinCount: 28);
        using var trigger = new GpioTrigger(new GpioTriggerOptions(0, 40, GpioEdge.Rising, GpioPull.None, TimeSpan.Zero), driver.Factory);

        var ex = Assert.Throws<HardwareException>(() => trigger.Start(_ => { }));

        Assert.Contains("GPIO pin 40", ex.Message);
        Assert.Contains("28 lines", ex.Message);
    }
}
