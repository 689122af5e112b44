using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Pipeline.Fakes;

/// <summary>A trigger the test fires by hand, on the test's thread (standing in for a GPIO or timer thread).</summary>
internal sealed class TestTrigger : ITrigger
{
    private Action<TriggerEvent>? _callback;
    private long _sequence;

    public string Description => "test";

    /// <summary>Thrown by <see cref="Start"/> (a missing GPIO chip, a pin in use).</summary>
    public HardwareException? StartFailure { get; init; }

    public int StopCount { get; private set; }

    public bool Disposed { get; private set; }

    public bool Started => _callback is not null;

    public void Start(Action<TriggerEvent> onTrigger)
    {
        if (StartFailure is not null) throw StartFailure;
        _callback = onTrigger;
    }

    public void Fire()
    {
        var callback = _callback ?? throw new InvalidOperationException("the pipeline has not started the trigger");
        _sequence++;
        callback(new TriggerEvent("test", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddSeconds(_sequence), _sequence));
    }

    public void Stop()
    {
        StopCount++;
        _callback = null;
    }

    public void Dispose() => Disposed = true;
}
