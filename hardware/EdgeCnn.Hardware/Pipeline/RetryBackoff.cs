namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Exponential backoff for a failing camera: the first retry waits <see cref="Initial"/>, each consecutive failure
/// doubles the wait up to <see cref="Max"/>, and a success starts over. Kept across triggers, so a camera that stays
/// unplugged is polled at the capped rate instead of hammered on every trigger.
/// </summary>
public sealed class RetryBackoff
{
    private int _consecutiveFailures;

    public RetryBackoff(TimeSpan initial, TimeSpan max)
    {
        if (initial <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(initial), initial, "the first retry delay must be positive");
        if (max < initial) throw new ArgumentOutOfRangeException(nameof(max), max, $"the delay cap must be at least the first delay {initial}");
        Initial = initial;
        Max = max;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public int ConsecutiveFailures => _consecutiveFailures;

    /// <summary>Records a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan NextDelay()
    {
        _consecutiveFailures++;
        // Doubling stops once the cap is reached, so the exponent never overflows however long the camera stays away.
        var delay = Initial;
        for (int i = 1; i < _consecutiveFailures && delay < Max; i++) delay += delay;
        return delay < Max ? delay : Max;
    }

    public void Reset() => _consecutiveFailures = 0;
}
