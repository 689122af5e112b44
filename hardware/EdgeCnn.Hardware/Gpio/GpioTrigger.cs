using System.Device.Gpio;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Gpio;

/// <summary>
/// Fires on edges of a GPIO input (a button, a PIR sensor, another device's output), debounced in software on the
/// edge timestamps (<see cref="EdgeDebouncer"/>). The driver calls back on its own event thread; the callback only
/// debounces and forwards, so it never waits for the pipeline.
/// </summary>
public sealed class GpioTrigger : ITrigger
{
    private readonly GpioTriggerOptions _options;
    private readonly GpioDriverFactory _driverFactory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly PinChangeEventHandler _onPinChanged;
    private EdgeDebouncer? _debouncer;
    private GpioController? _controller;
    private Action<TriggerEvent>? _onTrigger;
    private long _sequence;

    /// <param name="description">The spec as the user wrote it; defaults to <see cref="GpioTriggerOptions.ToSpecText"/>.</param>
    public GpioTrigger(GpioTriggerOptions options, GpioDriverFactory driverFactory, TimeProvider? time = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(driverFactory);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Chip);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Pin);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Debounce, TimeSpan.Zero);
        _options = options;
        _driverFactory = driverFactory;
        _time = time ?? TimeProvider.System;
        Description = description ?? options.ToSpecText();
        _onPinChanged = OnPinChanged;
    }

    public string Description { get; }

    public GpioTriggerOptions Options => _options;

    /// <summary>Edges dropped by the debounce window since <see cref="Start"/>.</summary>
    public long SuppressedEdges
    {
        get { lock (_gate) { return _debouncer?.Suppressed ?? 0; } }
    }

    public void Start(Action<TriggerEvent> onTrigger)
    {
        ArgumentNullException.ThrowIfNull(onTrigger);
        lock (_gate)
        {
            if (_controller is not null)
            {
                throw new InvalidOperationException($"trigger {Description} is already started");
            }

            GpioController controller = GpioPinSetup.OpenPin(_driverFactory, _options.Chip, _options.Pin, _options.Pull.ToPinMode(), "trigger input");
            try
            {
                _debouncer = new EdgeDebouncer(_time, _options.Debounce);
                _onTrigger = onTrigger;
                _sequence = 0;
                controller.RegisterCallbackForPinValueChangedEvent(_options.Pin, _options.Edge.ToEventTypes(), _onPinChanged);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException)
            {
                controller.Dispose();
                _onTrigger = null;
                throw new HardwareException($"GPIO pin {_options.Pin} on /dev/gpiochip{_options.Chip} (trigger input): " +
                    $"edge events ({_options.Edge.ToSpecText()}) cannot be requested: {ex.Message}", ex);
            }

            _controller = controller;
        }
    }

    public void Stop()
    {
        GpioController? controller;
        lock (_gate)
        {
            controller = _controller;
            _controller = null;
            _onTrigger = null;
        }

        if (controller is null)
        {
            return;
        }

        // Unregister before closing so no callback races the close; then release the line for other processes.
        try
        {
            controller.UnregisterCallbackForPinValueChangedEvent(_options.Pin, _onPinChanged);
            if (controller.IsPinOpen(_options.Pin))
            {
                controller.ClosePin(_options.Pin);
            }
        }
        finally
        {
            controller.Dispose();
        }
    }

    public void Dispose() => Stop();

    private void OnPinChanged(object sender, PinValueChangedEventArgs args)
    {
        // Timestamped before taking the lock so contention does not stretch the debounce window.
        long timestamp = _time.GetTimestamp();
        Action<TriggerEvent> onTrigger;
        TriggerEvent trigger;
        lock (_gate)
        {
            if (_onTrigger is null || _debouncer is null || args.PinNumber != _options.Pin
                || (args.ChangeType & _options.Edge.ToEventTypes()) == 0 || !_debouncer.Accept(timestamp))
            {
                return;
            }

            onTrigger = _onTrigger;
            trigger = new TriggerEvent(Description, _time.GetUtcNow(), ++_sequence);
        }

        // Outside the lock: the callback may take the pipeline's own lock, and Stop must not wait behind it.
        onTrigger(trigger);
    }
}
