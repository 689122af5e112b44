namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Fires once per line read from a text reader: pressing Enter on stdin, or lines piped in by a script. End of input
/// stops it (<see cref="Completion"/> finishes), so `printf '\n\n\n' | edgecnn watch ... --trigger manual` captures three
/// frames. The reader is read on a background thread because a console read cannot be interrupted; after
/// <see cref="Stop"/> a line still in flight is read and ignored.
/// </summary>
public sealed class ManualTrigger : ITrigger
{
    private readonly TextReader _input;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<TriggerEvent>? _onTrigger;
    private bool _started;
    private long _sequence;

    public ManualTrigger(TextReader input, TimeProvider? time = null, string description = "manual")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _input = input;
        _time = time ?? TimeProvider.System;
        Description = description;
    }

    public string Description { get; }

    /// <summary>Finishes when the reader reaches end of input, fails (faulted with the read error) or the trigger is
    /// stopped and its pending read returns.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True once end of input was reached: no trigger will come any more.</summary>
    public bool EndOfInput { get; private set; }

    public void Start(Action<TriggerEvent> onTrigger)
    {
        ArgumentNullException.ThrowIfNull(onTrigger);
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException($"trigger {Description} can be started only once (its reader is consumed)");
            }

            _started = true;
            _onTrigger = onTrigger;
        }

        var reader = new Thread(ReadLines) { IsBackground = true, Name = "EdgeCnn manual trigger" };
        reader.Start();
    }

    public void Stop()
    {
        lock (_gate)
        {
            _onTrigger = null;
        }
    }

    public void Dispose() => Stop();

    private void ReadLines()
    {
        try
        {
            while (_input.ReadLine() is not null)
            {
                Action<TriggerEvent>? onTrigger;
                TriggerEvent trigger = default;
                lock (_gate)
                {
                    onTrigger = _onTrigger;
                    if (onTrigger is not null)
                    {
                        trigger = new TriggerEvent(Description, _time.GetUtcNow(), ++_sequence);
                    }
                }

                if (onTrigger is null)
                {
                    _completion.TrySetResult();
                    return;
                }

                onTrigger(trigger);
            }

            EndOfInput = true;
            _completion.TrySetResult();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _completion.TrySetException(new HardwareException($"trigger {Description}: reading the input failed: {ex.Message}", ex));
        }
    }
}
