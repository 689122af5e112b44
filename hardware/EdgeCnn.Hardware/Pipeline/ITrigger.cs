namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Something that says "capture now": a GPIO edge, an interval timer, a line on stdin. The pipeline starts it with a
/// callback and stops it on shutdown. The callback is invoked on the trigger's own thread and returns at once (the
/// pipeline only records the event and wakes its worker), so a slow inference never delays trigger handling.
/// </summary>
public interface ITrigger : IDisposable
{
    /// <summary>The trigger as the user wrote it, for the startup summary and the JSON lines.</summary>
    string Description { get; }

    /// <summary>Begins delivering events. Setup failures (no GPIO chip, pin in use) throw here, at startup.</summary>
    /// <exception cref="HardwareException">The trigger's device cannot be opened or configured.</exception>
    void Start(Action<TriggerEvent> onTrigger);

    /// <summary>Stops delivering events and releases the device (pins, timers, the stdin reader). Idempotent.</summary>
    void Stop();
}
