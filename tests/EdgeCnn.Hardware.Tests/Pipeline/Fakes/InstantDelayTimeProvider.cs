namespace EdgeCnn.Hardware.Tests.Pipeline.Fakes;

/// <summary>
/// A clock whose timers fire at once (on the thread pool, as real timers do) and which records every delay asked for,
/// so backoff is checked by the delays requested, never by waiting. Timestamps advance by one millisecond per reading,
/// so stage latencies are positive and deterministic.
/// </summary>
internal sealed class InstantDelayTimeProvider : TimeProvider
{
    private long _ticks;
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays) return [.. _delays];
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerMillisecond);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddTicks(Interlocked.Read(ref _ticks));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_delays) _delays.Add(dueTime);
        var timer = new FiredTimer();
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return timer;
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
