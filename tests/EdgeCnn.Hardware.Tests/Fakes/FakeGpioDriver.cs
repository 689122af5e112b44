using System.Device.Gpio;
using EdgeCnn.Hardware.Gpio;

namespace EdgeCnn.Hardware.Tests.Fakes;

/// <summary>
/// A GPIO chip in memory, for tests of triggers, output pins and the pipeline. Public test-helper API:
/// <list type="bullet">
/// <item>Hand <see cref="Factory"/> to a trigger, output sink or <c>TriggerEnvironment</c>: it returns this driver for
/// every chip except those passed to <see cref="SimulateMissingChip"/>, which throw like a missing /dev/gpiochipN.
/// Several controllers may share the driver; disposing them only counts (<see cref="DisposeCount"/>), the fake keeps
/// working.</item>
/// <item>Faults: <see cref="SimulatePinInUse"/> (opening the pin throws IOException EBUSY, as libgpiod does for a line
/// another process holds), <see cref="SimulateUnsupportedMode"/> (e.g. no pull-up support). A pin opened twice, even
/// through two controllers, is also "in use".</item>
/// <item>Stimulus: <see cref="RaiseEdge"/> calls the callbacks registered for that edge on the caller's thread;
/// <see cref="RaiseEdgeAt"/> first moves <see cref="Clock"/> to the given time since its start, so debounce logic sees
/// chosen edge timestamps.</item>
/// <item>Observation: <see cref="IsOpen"/>, <see cref="ModeOf"/>, <see cref="LevelOf"/>, <see cref="Writes"/>
/// (every level written, in order), <see cref="RegisteredEdges"/>, <see cref="CallbackCount"/>.</item>
/// </list>
/// Thread-safe: edges may be raised from any thread.
/// </summary>
public sealed class FakeGpioDriver : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PinState> _pins = [];
    private readonly Dictionary<int, string> _pinsInUse = [];
    private readonly HashSet<int> _missingChips = [];
    private readonly HashSet<PinMode> _unsupportedModes = [];
    private readonly List<PinWrite> _writes = [];
    private readonly List<int> _openedChips = [];
    private readonly int _pinCount;

    public FakeGpioDriver(int pinCount = 54, ManualTimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pinCount, 1);
        _pinCount = pinCount;
        Clock = clock;
        Factory = OpenChip;
    }

    /// <summary>The clock <see cref="RaiseEdgeAt"/> moves; give the same one to the code under test.</summary>
    public ManualTimeProvider? Clock { get; }

    public GpioDriverFactory Factory { get; }

    /// <summary>Chips requested through <see cref="Factory"/>, in order, including missing ones.</summary>
    public IReadOnlyList<int> OpenedChips
    {
        get { lock (_gate) { return [.. _openedChips]; } }
    }

    public int DisposeCount { get; private set; }

    public IReadOnlyList<PinWrite> Writes
    {
        get { lock (_gate) { return [.. _writes]; } }
    }

    public void SimulatePinInUse(int pin, string consumer = "another-process")
    {
        lock (_gate) { _pinsInUse[pin] = consumer; }
    }

    public void SimulateMissingChip(int chip)
    {
        lock (_gate) { _missingChips.Add(chip); }
    }

    public void SimulateUnsupportedMode(PinMode mode)
    {
        lock (_gate) { _unsupportedModes.Add(mode); }
    }

    public bool IsOpen(int pin)
    {
        lock (_gate) { return _pins.TryGetValue(pin, out PinState? state) && state.IsOpen; }
    }

    /// <summary>The mode last set on the pin, or null if it was never opened.</summary>
    public PinMode? ModeOf(int pin)
    {
        lock (_gate) { return _pins.TryGetValue(pin, out PinState? state) ? state.Mode : null; }
    }

    /// <summary>The level last written or raised on the pin (low if never).</summary>
    public PinValue LevelOf(int pin)
    {
        lock (_gate) { return _pins.TryGetValue(pin, out PinState? state) ? state.Level : PinValue.Low; }
    }

    /// <summary>The union of the edges the pin's registered callbacks wait for.</summary>
    public PinEventTypes RegisteredEdges(int pin)
    {
        lock (_gate)
        {
            return _pins.TryGetValue(pin, out PinState? state)
                ? state.Callbacks.Aggregate(PinEventTypes.None, (all, c) => all | c.Edges)
                : PinEventTypes.None;
        }
    }

    public int CallbackCount(int pin)
    {
        lock (_gate) { return _pins.TryGetValue(pin, out PinState? state) ? state.Callbacks.Count : 0; }
    }

    /// <summary>Delivers one edge to the callbacks registered for it; returns how many were called. The level follows
    /// the edge (rising: high, falling: low).</summary>
    public int RaiseEdge(int pin, PinEventTypes edge)
    {
        if (edge is not (PinEventTypes.Rising or PinEventTypes.Falling))
        {
            throw new ArgumentOutOfRangeException(nameof(edge), edge, "raise one edge at a time: Rising or Falling");
        }

        (PinEventTypes Edges, PinChangeEventHandler Handler)[] targets;
        lock (_gate)
        {
            if (!_pins.TryGetValue(pin, out PinState? state) || !state.IsOpen)
            {
                return 0;
            }

            state.Level = edge == PinEventTypes.Rising ? PinValue.High : PinValue.Low;
            targets = state.Callbacks.Where(c => (c.Edges & edge) != 0).ToArray();
        }

        // Outside the lock, like a driver's event thread: a callback may call back into the driver.
        foreach (var (_, handler) in targets)
        {
            handler(this, new PinValueChangedEventArgs(edge, pin));
        }

        return targets.Length;
    }

    /// <summary>Moves <see cref="Clock"/> to <paramref name="sinceClockStart"/> (never backwards), then raises the
    /// edge.</summary>
    public int RaiseEdgeAt(int pin, PinEventTypes edge, TimeSpan sinceClockStart)
    {
        ManualTimeProvider clock = Clock ?? throw new InvalidOperationException("construct the fake driver with a ManualTimeProvider to raise timed edges");
        TimeSpan delta = sinceClockStart - clock.Elapsed;
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(sinceClockStart), sinceClockStart, $"the clock is already at {clock.Elapsed}");
        }

        clock.Advance(delta);
        return RaiseEdge(pin, edge);
    }

    protected override int PinCount => _pinCount;

    protected override void OpenPin(int pinNumber)
    {
        CheckPinNumber(pinNumber);
        lock (_gate)
        {
            if (_pinsInUse.TryGetValue(pinNumber, out string? consumer))
            {
                throw new IOException($"Device or resource busy: line {pinNumber} is used by '{consumer}'");
            }

            PinState state = StateOf(pinNumber);
            if (state.IsOpen)
            {
                throw new IOException($"Device or resource busy: line {pinNumber} is already requested");
            }

            state.IsOpen = true;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            PinState state = OpenState(pinNumber);
            state.IsOpen = false;
            // Releasing a line drops its event requests, as with libgpiod.
            state.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            if (_unsupportedModes.Contains(mode))
            {
                throw new InvalidOperationException($"mode {mode} is not supported by the fake chip");
            }

            OpenState(pinNumber).Mode = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate) { return OpenState(pinNumber).Mode ?? PinMode.Input; }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode)
    {
        lock (_gate) { return !_unsupportedModes.Contains(mode); }
    }

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate) { return OpenState(pinNumber).Level; }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            PinState state = OpenState(pinNumber);
            if (state.Mode != PinMode.Output)
            {
                throw new InvalidOperationException($"pin {pinNumber} is not an output");
            }

            state.Level = value;
            _writes.Add(new PinWrite(pinNumber, value));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var arrived = new TaskCompletionSource<PinEventTypes>(TaskCreationOptions.RunContinuationsAsynchronously);
        PinChangeEventHandler waiter = (_, args) => arrived.TrySetResult(args.ChangeType);
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, waiter);
        try
        {
            arrived.Task.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = arrived.Task.Result, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            lock (_gate)
            {
                if (_pins.TryGetValue(pinNumber, out PinState? state))
                {
                    state.Callbacks.RemoveAll(c => c.Handler == waiter);
                }
            }
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate) { OpenState(pinNumber).Callbacks.Add((eventTypes, callback)); }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate) { OpenState(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback); }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate) { DisposeCount++; }
        base.Dispose(disposing);
    }

    private GpioDriver OpenChip(int chip)
    {
        lock (_gate)
        {
            _openedChips.Add(chip);
            if (_missingChips.Contains(chip))
            {
                throw new HardwareException($"GPIO chip /dev/gpiochip{chip} does not exist (simulated)");
            }
        }

        return this;
    }

    private void CheckPinNumber(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= _pinCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"the fake chip has lines 0..{_pinCount - 1}");
        }
    }

    private PinState StateOf(int pinNumber)
    {
        if (!_pins.TryGetValue(pinNumber, out PinState? state))
        {
            state = new PinState();
            _pins.Add(pinNumber, state);
        }

        return state;
    }

    private PinState OpenState(int pinNumber) =>
        _pins.TryGetValue(pinNumber, out PinState? state) && state.IsOpen
            ? state
            : throw new InvalidOperationException($"pin {pinNumber} is not open");

    private sealed class PinState
    {
        public bool IsOpen { get; set; }

        public PinMode? Mode { get; set; }

        public PinValue Level { get; set; } = PinValue.Low;

        public List<(PinEventTypes Edges, PinChangeEventHandler Handler)> Callbacks { get; } = [];
    }
}

/// <summary>One level written to an output pin of <see cref="FakeGpioDriver"/>.</summary>
public readonly record struct PinWrite(int Pin, PinValue Value);
