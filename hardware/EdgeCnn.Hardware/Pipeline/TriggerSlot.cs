namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// The hand-off between a trigger's thread and the pipeline's worker: one pending slot. A trigger that finds the slot
/// empty fills it and wakes the worker; one that finds it full (the worker is still busy with an earlier frame and
/// another trigger is already waiting) is counted as dropped. So a burst never queues without bound and the trigger
/// callback only takes a short lock, never waiting for inference.
/// </summary>
public sealed class TriggerSlot : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _filled = new(0, 1);
    private TriggerEvent _pending;
    private bool _hasPending;
    private long _received;
    private long _dropped;
    private long _droppedSinceTake;
    private readonly long _limit;

    /// <param name="limit">Triggers accepted or dropped in total; later ones are ignored (scripted runs with
    /// --max-triggers). <see cref="long.MaxValue"/> for no limit.</param>
    public TriggerSlot(long limit = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>True once the limit's worth of triggers has arrived: no further trigger will be accepted.</summary>
    public bool LimitReached => Received >= _limit;

    /// <summary>Every trigger offered, accepted or dropped.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Triggers that arrived with the slot full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Called on the trigger's thread. Returns false when the event was dropped.</summary>
    public bool Offer(TriggerEvent trigger)
    {
        lock (_gate)
        {
            if (_received >= _limit) return false;
            _received++;
            if (_hasPending)
            {
                _dropped++;
                _droppedSinceTake++;
                return false;
            }
            _pending = trigger;
            _hasPending = true;
        }
        // Released once per empty→full transition and consumed once per take, so the count never exceeds 1.
        _filled.Release();
        return true;
    }

    /// <summary>Blocks until a trigger is pending and takes it, with the drops counted since the previous take.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public (TriggerEvent Trigger, long DroppedBefore) Take(CancellationToken cancellationToken)
    {
        _filled.Wait(cancellationToken);
        lock (_gate)
        {
            var trigger = _pending;
            _hasPending = false;
            _pending = default;
            long dropped = _droppedSinceTake;
            _droppedSinceTake = 0;
            return (trigger, dropped);
        }
    }

    /// <summary>True when a trigger waits in the slot.</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate) return _hasPending;
        }
    }

    /// <summary>Drops counted since the last take (reported with the next result, or in the summary at shutdown).</summary>
    public long DroppedSinceTake
    {
        get
        {
            lock (_gate) return _droppedSinceTake;
        }
    }

    public void Dispose() => _filled.Dispose();
}
