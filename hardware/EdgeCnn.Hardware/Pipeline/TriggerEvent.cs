namespace EdgeCnn.Hardware.Pipeline;

/// <summary>One trigger firing: which trigger (its spec text, e.g. "gpio:17:rising:50ms"), when, and its running number
/// (1, 2, …) so dropped triggers show as gaps.</summary>
public readonly record struct TriggerEvent(string Source, DateTimeOffset Timestamp, long Sequence);
