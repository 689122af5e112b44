using System.Device.Gpio;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Tests.Fakes;

namespace EdgeCnn.Hardware.Tests.Gpio;

public sealed class GpioOutputSinkTests
{
    private const int Pin = 27;

    private static InferenceResult Result(params (int Index, string Label, float Score)[] topK) => new()
    {
        TopK = topK.Select(t => new ClassScore(t.Index, t.Label, t.Score)).ToArray(),
        TopKCount = topK.Length,
    };

    private static (GpioOutputSink Sink, FakeGpioDriver Driver) Open(string className, float threshold)
    {
        var driver = new FakeGpioDriver();
        return (new GpioOutputSink(new GpioOutputOptions(0, Pin, className, threshold), driver.Factory), driver);
    }

    [Fact]
    public void The_pin_is_claimed_as_a_low_output_at_construction()
    {
        var (sink, driver) = Open("Sneaker", 0.8f);
        Assert.True(driver.IsOpen(Pin));
        Assert.Equal(PinMode.Output, driver.ModeOf(Pin));
        Assert.Equal(PinValue.Low, driver.LevelOf(Pin));
        sink.Dispose();
    }

    [Fact]
    public void The_pin_follows_the_class_score_against_the_threshold()
    {
        var (sink, driver) = Open("Sneaker", 0.8f);

        sink.Write(Result((7, "Sneaker", 0.95f), (5, "Sandal", 0.03f)));
        Assert.Equal(PinValue.High, driver.LevelOf(Pin));
        Assert.True(sink.IsHigh);

        sink.Write(Result((7, "Sneaker", 0.8f)));
        Assert.Equal(PinValue.High, driver.LevelOf(Pin));

        sink.Write(Result((5, "Sandal", 0.6f), (7, "Sneaker", 0.79f)));
        Assert.Equal(PinValue.Low, driver.LevelOf(Pin));

        sink.Write(Result((5, "Sandal", 0.99f), (9, "Ankle boot", 0.01f)));
        Assert.Equal(PinValue.Low, driver.LevelOf(Pin));
        sink.Dispose();
    }

    [Fact]
    public void Only_level_changes_are_written()
    {
        var (sink, driver) = Open("Sneaker", 0.5f);
        int before = driver.Writes.Count;

        sink.Write(Result((7, "Sneaker", 0.9f)));
        sink.Write(Result((7, "Sneaker", 0.9f)));
        sink.Write(Result((7, "Sneaker", 0.1f)));
        sink.Write(Result((7, "Sneaker", 0.1f)));
        sink.Write(Result((7, "Sneaker", 0.7f)));

        Assert.Equal([PinValue.High, PinValue.Low, PinValue.High], driver.Writes.Skip(before).Select(w => w.Value));
        sink.Dispose();
    }

    [Theory]
    [InlineData("sneaker")]
    [InlineData("SNEAKER")]
    [InlineData("7")]
    public void The_class_matches_a_label_ignoring_case_or_an_index(string className)
    {
        var (sink, driver) = Open(className, 0.5f);
        sink.Write(Result((7, "Sneaker", 0.9f)));
        Assert.Equal(PinValue.High, driver.LevelOf(Pin));
        sink.Dispose();
    }

    [Fact]
    public void An_index_matches_when_there_are_no_labels()
    {
        var (sink, driver) = Open("3", 0.5f);
        sink.Write(Result((3, "3", 0.6f)));
        Assert.Equal(PinValue.High, driver.LevelOf(Pin));
        sink.Dispose();
    }

    [Fact]
    public void Entries_past_the_valid_count_are_ignored()
    {
        var (sink, driver) = Open("Sneaker", 0.5f);
        InferenceResult result = Result((5, "Sandal", 0.4f), (7, "Sneaker", 0.9f));
        result.TopKCount = 1;

        sink.Write(result);

        Assert.Equal(PinValue.Low, driver.LevelOf(Pin));
        sink.Dispose();
    }

    [Fact]
    public void Dispose_writes_low_and_releases_the_pin_once()
    {
        var (sink, driver) = Open("Sneaker", 0.5f);
        sink.Write(Result((7, "Sneaker", 0.9f)));

        sink.Dispose();

        Assert.Equal(new PinWrite(Pin, PinValue.Low), driver.Writes[^1]);
        Assert.False(driver.IsOpen(Pin));
        Assert.Equal(1, driver.DisposeCount);
        sink.Dispose();
        Assert.Equal(1, driver.DisposeCount);
        Assert.Throws<ObjectDisposedException>(() => sink.Write(Result((7, "Sneaker", 0.9f))));
    }

    [Fact]
    public void A_pin_in_use_fails_at_construction()
    {
        var driver = new FakeGpioDriver();
        driver.SimulatePinInUse(Pin);

        var ex = Assert.Throws<HardwareException>(() => new GpioOutputSink(new GpioOutputOptions(0, Pin, "Sneaker", 0.5f), driver.Factory));

        Assert.Contains($"GPIO pin {Pin} on /dev/gpiochip0 (output)", ex.Message);
        Assert.Contains("busy", ex.Message);
    }

    [Fact]
    public void The_trigger_pin_cannot_also_be_the_output_pin()
    {
        var driver = new FakeGpioDriver();
        using var trigger = new GpioTrigger(new GpioTriggerOptions(0, Pin, GpioEdge.Rising, GpioPull.None, TimeSpan.Zero), driver.Factory);
        trigger.Start(_ => { });

        var ex = Assert.Throws<HardwareException>(() => new GpioOutputSink(new GpioOutputOptions(0, Pin, "Sneaker", 0.5f), driver.Factory));

        Assert.Contains("already requested", ex.Message);
        Assert.Equal(PinMode.Input, driver.ModeOf(Pin));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void A_threshold_outside_zero_to_one_is_refused(float threshold)
    {
        var driver = new FakeGpioDriver();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GpioOutputSink(new GpioOutputOptions(0, Pin, "Sneaker", threshold), driver.Factory));
        Assert.Contains("Sneaker", ex.Message);
        Assert.False(driver.IsOpen(Pin));
    }
}
