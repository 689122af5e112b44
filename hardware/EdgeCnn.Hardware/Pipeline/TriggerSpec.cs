using EdgeCnn.Hardware.Gpio;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// A parsed --trigger value. <see cref="Text"/> keeps the user's spelling: it becomes the trigger's description and
/// the "source" of its events. Parse with <see cref="TriggerSpecParser.Parse"/>.
/// </summary>
public abstract record TriggerSpec(string Text)
{
    public abstract ITrigger CreateTrigger(TriggerEnvironment environment);
}

/// <summary>"gpio:[chipN:]PIN[:EDGE][:DEBOUNCE][:PULL]"; <see cref="Chip"/> is null when the spec names none (the
/// environment's default chip is used).</summary>
public sealed record GpioTriggerSpec(string Text, int? Chip, int Pin, GpioEdge Edge, GpioPull Pull, TimeSpan Debounce) : TriggerSpec(Text)
{
    public GpioTriggerOptions ToOptions(int defaultChip) => new(Chip ?? defaultChip, Pin, Edge, Pull, Debounce);

    public override ITrigger CreateTrigger(TriggerEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new GpioTrigger(ToOptions(environment.DefaultGpioChip), environment.GpioDriverFactory, environment.Time, Text);
    }
}

/// <summary>"interval:PERIOD", e.g. interval:1s, interval:250ms.</summary>
public sealed record IntervalTriggerSpec(string Text, TimeSpan Period) : TriggerSpec(Text)
{
    public override ITrigger CreateTrigger(TriggerEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new IntervalTrigger(Period, environment.Time, Text);
    }
}

/// <summary>"manual": one trigger per line on stdin (or the environment's reader).</summary>
public sealed record ManualTriggerSpec(string Text) : TriggerSpec(Text)
{
    public override ITrigger CreateTrigger(TriggerEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new ManualTrigger(environment.Input ?? Console.In, environment.Time, Text);
    }
}
