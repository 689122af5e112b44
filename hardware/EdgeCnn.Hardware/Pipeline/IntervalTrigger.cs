using System.Globalization;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Fires every period, on deadlines fixed at start + k·period: each tick schedules the next deadline from the start
/// time rather than from "now", so late timer wake-ups do not add up to drift. Ticks missed altogether (a suspended
/// machine, a starved process) are skipped, not fired in a burst. The first tick is one period after
/// <see cref="Start"/>.
/// </summary>
public sealed class IntervalTrigger : ITrigger
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private Action<TriggerEvent>? _onTrigger;
    private long _startTimestamp;
    private long _nextTick;
    private long _sequence;

    public IntervalTrigger(TimeSpan period, TimeProvider? time = null, string? description = null)
    {
        if (period < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "the trigger interval must be at least 1 ms");
        }

        Period = period;
        _time = time ?? TimeProvider.System;
        Description = description ?? string.Create(CultureInfo.InvariantCulture, $"interval:{period.TotalMilliseconds}ms");
    }

    public TimeSpan Period { get; }

    public string Description { get; }

    /// <summary>Deadlines that passed without a tick because the timer woke up more than a period late.</summary>
    public long SkippedTicks { get; private set; }

    public void Start(Action<TriggerEvent> onTrigger)
    {
        ArgumentNullException.ThrowIfNull(onTrigger);
        lock (_gate)
        {
            if (_timer is not null)
            {
                throw new InvalidOperationException($"trigger {Description} is already started");
            }

            _onTrigger = onTrigger;
            _sequence = 0;
            _nextTick = 1;
            _startTimestamp = _time.GetTimestamp();
            _timer = _time.CreateTimer(static state => ((IntervalTrigger)state!).OnTimer(), this, Period, Timeout.InfiniteTimeSpan);
        }
    }

    public void Stop()
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = null;
            _onTrigger = null;
        }

        timer?.Dispose();
    }

    public void Dispose() => Stop();

    private void OnTimer()
    {
        Action<TriggerEvent> onTrigger;
        TriggerEvent trigger;
        lock (_gate)
        {
            if (_timer is not { } timer || _onTrigger is null)
            {
                return;
            }

            TimeSpan elapsed = _time.GetElapsedTime(_startTimestamp);
            // A timer may fire a hair early; the tick it stands for is the one it was armed for.
            long due = Math.Max(_nextTick, elapsed.Ticks / Period.Ticks);
            SkippedTicks += due - _nextTick;
            _nextTick = due + 1;
            TimeSpan untilNext = TimeSpan.FromTicks(_nextTick * Period.Ticks) - elapsed;
            timer.Change(untilNext > TimeSpan.Zero ? untilNext : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            onTrigger = _onTrigger;
            trigger = new TriggerEvent(Description, _time.GetUtcNow(), ++_sequence);
        }

        onTrigger(trigger);
    }
}
