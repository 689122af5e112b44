namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// Software debounce on edge timestamps: the first edge fires at once (so a capture starts without waiting for the
/// contacts to settle) and every further edge within the window after it is ignored. A bouncing button or a chattering
/// sensor therefore gives one trigger per window; edges further apart each give one. Timestamps come from
/// <see cref="TimeProvider.GetTimestamp"/>, so the window is immune to wall-clock changes and testable with a fake
/// clock. Not thread-safe: the caller serializes.
/// </summary>
internal sealed class EdgeDebouncer(TimeProvider time, TimeSpan window)
{
    private long _lastAccepted;
    private bool _hasAccepted;

    public TimeSpan Window { get; } = window >= TimeSpan.Zero
        ? window
        : throw new ArgumentOutOfRangeException(nameof(window), window, "the debounce window cannot be negative");

    /// <summary>Edges seen and dropped as bounces, for diagnostics.</summary>
    public long Suppressed { get; private set; }

    /// <summary>True when an edge at <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value)
    /// should fire.</summary>
    public bool Accept(long timestamp)
    {
        if (_hasAccepted && time.GetElapsedTime(_lastAccepted, timestamp) < Window)
        {
            Suppressed++;
            return false;
        }

        _lastAccepted = timestamp;
        _hasAccepted = true;
        return true;
    }
}
