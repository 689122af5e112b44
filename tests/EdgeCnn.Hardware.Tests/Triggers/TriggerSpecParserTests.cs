using System.Device.Gpio;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Tests.Fakes;

namespace EdgeCnn.Hardware.Tests.Triggers;

public sealed class TriggerSpecParserTests
{
    [Theory]
    [InlineData("gpio:17:rising:50ms", null, 17, GpioEdge.Rising, GpioPull.None, 50)]
    [InlineData("gpio:17:both:20ms:pull-up", null, 17, GpioEdge.Both, GpioPull.Up, 20)]
    [InlineData("gpio:chip4:17:falling", 4, 17, GpioEdge.Falling, GpioPull.None, 50)]
    [InlineData("gpio:gpiochip1:5", 1, 5, GpioEdge.Rising, GpioPull.None, 50)]
    [InlineData("gpio:22", null, 22, GpioEdge.Rising, GpioPull.None, 50)]
    [InlineData("GPIO:27:pull-down:FALLING:0ms", null, 27, GpioEdge.Falling, GpioPull.Down, 0)]
    [InlineData("gpio:4:1.5s", null, 4, GpioEdge.Rising, GpioPull.None, 1500)]
    [InlineData("  gpio:4:pull-none  ", null, 4, GpioEdge.Rising, GpioPull.None, 50)]
    public void Gpio_specs_parse(string spec, int? chip, int pin, GpioEdge edge, GpioPull pull, double debounceMs)
    {
        var parsed = Assert.IsType<GpioTriggerSpec>(TriggerSpecParser.Parse(spec));

        Assert.Equal(chip, parsed.Chip);
        Assert.Equal(pin, parsed.Pin);
        Assert.Equal(edge, parsed.Edge);
        Assert.Equal(pull, parsed.Pull);
        Assert.Equal(TimeSpan.FromMilliseconds(debounceMs), parsed.Debounce);
        Assert.Equal(spec.Trim(), parsed.Text);
    }

    [Theory]
    [InlineData("interval:1s", 1000)]
    [InlineData("interval:250ms", 250)]
    [InlineData("interval:2m", 120_000)]
    [InlineData("interval:0.5s", 500)]
    [InlineData("Interval:1h", 3_600_000)]
    public void Interval_specs_parse(string spec, double periodMs)
    {
        var parsed = Assert.IsType<IntervalTriggerSpec>(TriggerSpecParser.Parse(spec));
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), parsed.Period);
    }

    [Theory]
    [InlineData("manual")]
    [InlineData("MANUAL")]
    public void Manual_parses(string spec) => Assert.IsType<ManualTriggerSpec>(TriggerSpecParser.Parse(spec));

    [Theory]
    [InlineData("", "kind")]
    [InlineData("button:17", "kind")]
    [InlineData("gpio", "pin")]
    [InlineData("gpio:", "pin")]
    [InlineData("gpio:chip4", "pin")]
    [InlineData("gpio:x17:rising", "pin")]
    [InlineData("gpio:-1", "pin")]
    [InlineData("gpio:99999999999", "pin")]
    [InlineData("gpio:chipX:17", "chip")]
    [InlineData("gpio:chip:17", "chip")]
    [InlineData("gpio:17:up", "up")]
    [InlineData("gpio:17:rising:falling", "edge")]
    [InlineData("gpio:17:pull-up:pull-down", "pull")]
    [InlineData("gpio:17:10ms:20ms", "debounce")]
    [InlineData("gpio:17:50", "debounce")]
    [InlineData("gpio:17:50us", "debounce")]
    [InlineData("gpio:17::rising", "(empty field)")]
    [InlineData("interval", "interval")]
    [InlineData("interval:", "interval")]
    [InlineData("interval:1", "interval")]
    [InlineData("interval:fast", "interval")]
    [InlineData("interval:0ms", "interval")]
    [InlineData("interval:1s:2s", "interval")]
    [InlineData("interval:999999h", "interval")]
    [InlineData("manual:now", "now")]
    public void Bad_specs_name_the_spec_and_the_field(string spec, string field)
    {
        var ex = Assert.Throws<TriggerSpecException>(() => TriggerSpecParser.Parse(spec));

        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{spec.Trim()}'", ex.Message);
        Assert.Contains(field, ex.Message);
        Assert.IsAssignableFrom<FormatException>(ex);
    }

    [Fact]
    public void A_gpio_spec_becomes_a_trigger_on_the_environment_chip_and_driver()
    {
        var clock = new ManualTimeProvider();
        var driver = new FakeGpioDriver(clock: clock);
        var environment = new TriggerEnvironment { GpioDriverFactory = driver.Factory, DefaultGpioChip = 4, Time = clock };
        var events = new List<TriggerEvent>();

        using ITrigger trigger = TriggerSpecParser.Create("gpio:17:falling:20ms:pull-up", environment);
        trigger.Start(events.Add);
        driver.RaiseEdgeAt(17, PinEventTypes.Falling, TimeSpan.FromMilliseconds(5));
        driver.RaiseEdgeAt(17, PinEventTypes.Falling, TimeSpan.FromMilliseconds(15));
        driver.RaiseEdgeAt(17, PinEventTypes.Falling, TimeSpan.FromMilliseconds(40));

        Assert.Equal("gpio:17:falling:20ms:pull-up", trigger.Description);
        Assert.Equal([4], driver.OpenedChips);
        Assert.Equal(PinMode.InputPullUp, driver.ModeOf(17));
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("gpio:17:falling:20ms:pull-up", e.Source));
    }

    [Fact]
    public void A_chip_in_the_spec_overrides_the_default()
    {
        var driver = new FakeGpioDriver();
        var environment = new TriggerEnvironment { GpioDriverFactory = driver.Factory, DefaultGpioChip = 4 };

        using ITrigger trigger = TriggerSpecParser.Create("gpio:chip0:17", environment);
        trigger.Start(_ => { });

        Assert.Equal([0], driver.OpenedChips);
    }

    [Fact]
    public async Task Interval_and_manual_specs_become_their_triggers()
    {
        var clock = new ManualTimeProvider();
        var environment = new TriggerEnvironment { Time = clock, Input = new StringReader("a\nb\n") };

        using ITrigger interval = TriggerSpecParser.Create("interval:250ms", environment);
        var ticks = new List<TriggerEvent>();
        interval.Start(ticks.Add);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, ticks.Count);
        Assert.Equal("interval:250ms", interval.Description);

        using ITrigger manual = TriggerSpecParser.Create("manual", environment);
        var manualTrigger = Assert.IsType<ManualTrigger>(manual);
        int lines = 0;
        manual.Start(_ => Interlocked.Increment(ref lines));
        await manualTrigger.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, lines);
    }

    [Fact]
    public void Options_written_as_a_spec_parse_back_to_the_same_options()
    {
        var options = new GpioTriggerOptions(4, 17, GpioEdge.Both, GpioPull.Down, TimeSpan.FromMilliseconds(12.5));

        var parsed = Assert.IsType<GpioTriggerSpec>(TriggerSpecParser.Parse(options.ToSpecText()));

        Assert.Equal(options, parsed.ToOptions(defaultChip: 0));
    }
}
