namespace EdgeCnn.Hardware.Tests.Fakes;

/// <summary>
/// A clock that moves only when a test says so, with timers that fire synchronously on the moving thread.
/// Public test helper (also for the pipeline tests):
/// <list type="bullet">
/// <item><see cref="Advance"/> moves time forward and fires each due timer at its exact due time, in order (a
/// punctual machine).</item>
/// <item><see cref="Jump"/> moves time to the target first, then fires every timer that became due once, at the
/// target time (a machine whose timer thread woke up late).</item>
/// <item><see cref="SetUtcNow"/> sets the wall clock; the monotonic timestamp moves by the same amount.</item>
/// </list>
/// Timestamps are in ticks (<see cref="TimeProvider.TimestampFrequency"/> = 10^7/s).
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _utcNow;
    private long _ticks;

    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _utcNow = start ?? new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Time moved since construction.</summary>
    public TimeSpan Elapsed
    {
        get { lock (_gate) { return TimeSpan.FromTicks(_ticks); } }
    }

    public int ActiveTimers
    {
        get { lock (_gate) { return _timers.Count; } }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) { return _utcNow; }
    }

    public override long GetTimestamp()
    {
        lock (_gate) { return _ticks; }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        TimeSpan delta = value - GetUtcNow();
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero, nameof(value));
        Advance(delta);
    }

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate) { target = _ticks + delta.Ticks; }

        while (TakeDue(target) is { } timer)
        {
            timer.Fire();
        }

        MoveTo(target);
    }

    public void Jump(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate) { target = _ticks + delta.Ticks; }

        MoveTo(target);
        ManualTimer[] due;
        lock (_gate)
        {
            due = _timers.Where(t => t.DueTicks <= target).OrderBy(t => t.DueTicks).ToArray();
        }

        // Each timer that was due fires once, even if its callback re-arms it for a time already passed.
        foreach (ManualTimer timer in due)
        {
            if (Take(timer, target))
            {
                timer.Fire();
            }
        }
    }

    private bool Take(ManualTimer timer, long target)
    {
        lock (_gate)
        {
            if (!_timers.Contains(timer) || timer.DueTicks > target)
            {
                return false;
            }

            Disarm(timer);
            return true;
        }
    }

    private void Disarm(ManualTimer timer)
    {
        if (timer.PeriodTicks > 0)
        {
            timer.DueTicks = Math.Max(timer.DueTicks, _ticks) + timer.PeriodTicks;
        }
        else
        {
            _timers.Remove(timer);
        }
    }

    private void MoveTo(long target)
    {
        lock (_gate)
        {
            if (target > _ticks)
            {
                _utcNow += TimeSpan.FromTicks(target - _ticks);
                _ticks = target;
            }
        }
    }

    /// <summary>The earliest timer due at or before <paramref name="target"/>, rescheduled (periodic) or disarmed
    /// (one-shot) before it fires so its callback may re-arm it.</summary>
    private ManualTimer? TakeDue(long target)
    {
        lock (_gate)
        {
            ManualTimer? earliest = null;
            foreach (ManualTimer timer in _timers)
            {
                if (timer.DueTicks <= target && (earliest is null || timer.DueTicks < earliest.DueTicks))
                {
                    earliest = timer;
                }
            }

            if (earliest is null)
            {
                return null;
            }

            if (earliest.DueTicks > _ticks)
            {
                _utcNow += TimeSpan.FromTicks(earliest.DueTicks - _ticks);
                _ticks = earliest.DueTicks;
            }

            Disarm(earliest);
            return earliest;
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks { get; set; }

        public long PeriodTicks { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
                DueTicks = owner._ticks + dueTime.Ticks;
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                owner._timers.Add(this);
                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate) { owner._timers.Remove(this); }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
