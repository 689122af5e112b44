namespace EdgeCnn.Hardware.Pipeline;

/// <summary>A trigger spec (--trigger) that does not parse. <see cref="Field"/> names the part that is wrong
/// ("kind", "pin", "chip", "edge", "debounce", "pull", "interval", or the unrecognized text itself).</summary>
public sealed class TriggerSpecException : FormatException
{
    public TriggerSpecException(string spec, string field, string problem)
        : base($"trigger spec '{spec}': {field}: {problem}. Expected gpio:[chipN:]PIN[:rising|falling|both][:DEBOUNCE][:pull-up|pull-down|pull-none], interval:PERIOD or manual")
    {
        Spec = spec;
        Field = field;
    }

    public string Spec { get; }

    public string Field { get; }
}
