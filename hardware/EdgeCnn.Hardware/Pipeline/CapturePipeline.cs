using System.Globalization;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Trigger → capture → preprocess → inference → top-k → sinks. The trigger's callback only fills a one-entry
/// <see cref="TriggerSlot"/> (so a slow inference never delays trigger handling and a burst is counted as dropped
/// rather than queued); <see cref="Run"/> is the worker loop on the caller's thread. Failures are survived and reported
/// (<see cref="PipelineOptions.Log"/> and every sink implementing <see cref="IErrorSink"/>): a failing capture is retried
/// with capped exponential backoff, a frame that cannot be preprocessed or run is skipped, a sink that throws does not
/// stop the others. The pipeline owns its parts and disposes them (pins released, camera closed).
/// </summary>
public sealed class CapturePipeline : IDisposable
{
    private readonly ITrigger _trigger;
    private readonly IFrameSource _camera;
    private readonly IFrameInputWriter _input;
    private readonly IInferenceBackend _backend;
    private readonly IResultSink[] _sinks;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly TriggerSlot _slot;
    private readonly RetryBackoff _backoff;
    private readonly ScoreRanker _ranker;
    private readonly InferenceResult _result;
    private readonly LatencyWindow _captureMs, _preprocessMs, _inferenceMs, _totalMs;
    private long _processed, _captureFailures, _captureErrors, _otherFailures, _sinkErrors, _droppedUnreported;
    private bool _started, _stopped, _disposed, _sourceExhausted;

    public CapturePipeline(ITrigger trigger, IFrameSource camera, IFrameInputWriter input, IInferenceBackend backend,
        IReadOnlyList<IResultSink> sinks, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _trigger = trigger;
        _camera = camera;
        _input = input;
        _backend = backend;
        _sinks = [.. sinks];
        _options = options;
        _time = options.Time;
        _slot = new TriggerSlot(options.MaxTriggers ?? long.MaxValue);
        _backoff = new RetryBackoff(options.RetryInitialDelay, options.RetryMaxDelay);
        _ranker = new ScoreRanker(backend.OutputLength, options.TopK, options.Labels);
        _result = new InferenceResult { TopK = new ClassScore[_ranker.K] };
        _captureMs = new LatencyWindow(options.LatencyWindow);
        _preprocessMs = new LatencyWindow(options.LatencyWindow);
        _inferenceMs = new LatencyWindow(options.LatencyWindow);
        _totalMs = new LatencyWindow(options.LatencyWindow);
    }

    /// <summary>Starts the trigger (the camera is expected open already). Setup failures surface here.</summary>
    /// <exception cref="HardwareException">The trigger's device cannot be opened (no GPIO chip, pin in use).</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) return;
        _trigger.Start(OnTrigger);
        _started = true;
    }

    /// <summary>Handles triggers until <paramref name="cancellationToken"/> is cancelled, the frame source is exhausted
    /// (<see cref="FrameSourceExhaustedException"/>: a folder read once) or, with
    /// <see cref="PipelineOptions.MaxTriggers"/>, until that many have arrived and the accepted ones are handled. A
    /// capture in progress at cancellation is abandoned; a frame already captured is finished. The trigger is stopped
    /// before returning.</summary>
    public PipelineSummary Run(CancellationToken cancellationToken)
    {
        Start();
        try
        {
            while (!cancellationToken.IsCancellationRequested && !_sourceExhausted)
            {
                if (_slot.LimitReached && !_slot.HasPending) break;
                TriggerEvent trigger;
                long droppedBefore;
                try
                {
                    (trigger, droppedBefore) = _slot.Take(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                _droppedUnreported += droppedBefore;
                Handle(trigger, cancellationToken);
            }
        }
        finally
        {
            StopTrigger();
        }
        return Summary();
    }

    /// <summary>The counts so far (final once <see cref="Run"/> has returned).</summary>
    public PipelineSummary Summary() => new(
        Triggers: _slot.Received,
        Processed: _processed,
        Dropped: _slot.Dropped,
        CaptureFailures: _captureFailures,
        CaptureErrors: _captureErrors,
        OtherFailures: _otherFailures,
        SinkErrors: _sinkErrors,
        MedianCaptureMs: _captureMs.Median(),
        MedianPreprocessMs: _preprocessMs.Median(),
        MedianInferenceMs: _inferenceMs.Median(),
        MedianTotalMs: _totalMs.Median());

    private void OnTrigger(TriggerEvent trigger) => _slot.Offer(trigger);

    private void Handle(TriggerEvent trigger, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        if (!TryCapture(trigger, cancellationToken, out var frame)) return;
        long captured = _time.GetTimestamp();

        string? saved = null;
        if (_options.FrameSaver is { } saver)
        {
            try
            {
                saved = saver.Save(frame, trigger);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A full disk must not stop classification: the frame is still classified, just not kept.
                Report(new PipelineError(_time.GetUtcNow(), "save", ex.Message, trigger));
            }
        }

        long preprocessed;
        try
        {
            _input.Write(frame, _backend);
            preprocessed = _time.GetTimestamp();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _otherFailures++;
            Report(new PipelineError(_time.GetUtcNow(), "preprocess", ex.Message, trigger));
            return;
        }

        int count;
        try
        {
            _backend.Run();
            count = _ranker.Rank(_backend.Output(), _result.TopK);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _otherFailures++;
            Report(new PipelineError(_time.GetUtcNow(), "inference", ex.Message, trigger));
            return;
        }
        long done = _time.GetTimestamp();

        _result.Trigger = trigger;
        _result.FrameSequence = frame.Sequence;
        _result.FrameName = frame.Name;
        _result.TopKCount = count;
        _result.CaptureMs = _time.GetElapsedTime(start, captured).TotalMilliseconds;
        _result.PreprocessMs = _time.GetElapsedTime(captured, preprocessed).TotalMilliseconds;
        _result.InferenceMs = _time.GetElapsedTime(preprocessed, done).TotalMilliseconds;
        _result.DroppedSinceLast = _droppedUnreported;
        _result.SavedFramePath = saved;
        _droppedUnreported = 0;
        _processed++;
        _captureMs.Add(_result.CaptureMs);
        _preprocessMs.Add(_result.PreprocessMs);
        _inferenceMs.Add(_result.InferenceMs);
        _totalMs.Add(_time.GetElapsedTime(start, done).TotalMilliseconds);

        foreach (var sink in _sinks)
        {
            try
            {
                sink.Write(_result);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _sinkErrors++;
                Report(new PipelineError(_time.GetUtcNow(), "sink", $"{sink.GetType().Name}: {ex.Message}", trigger), failed: sink);
            }
        }
    }

    /// <summary>Captures with up to <see cref="PipelineOptions.CaptureAttempts"/> attempts, waiting the backoff delay
    /// between them. False when the trigger is given up (every attempt failed, or shutdown began).</summary>
    private bool TryCapture(TriggerEvent trigger, CancellationToken cancellationToken, out Frame frame)
    {
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan delay;
            try
            {
                frame = _camera.Capture(cancellationToken);
                _backoff.Reset();
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                frame = default;
                return false;
            }
            catch (FrameSourceExhaustedException ex)
            {
                // A folder read once has no more frames: retrying cannot help, so the run ends here.
                _sourceExhausted = true;
                Report(new PipelineError(_time.GetUtcNow(), "capture", $"{ex.Message} (stopping)", trigger, attempt));
                frame = default;
                return false;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _captureErrors++;
                delay = _backoff.NextDelay();
                bool last = attempt >= _options.CaptureAttempts;
                string message = last ? $"{ex.Message} (giving up on this trigger after {attempt} attempts)" : ex.Message;
                Report(new PipelineError(_time.GetUtcNow(), "capture", message, trigger, attempt, last ? null : delay.TotalMilliseconds));
                if (last)
                {
                    _captureFailures++;
                    frame = default;
                    return false;
                }
            }
            try
            {
                Task.Delay(delay, _time, cancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                frame = default;
                return false;
            }
        }
    }

    private void Report(PipelineError error, IResultSink? failed = null)
    {
        if (_options.Log is { } log)
        {
            try
            {
                log.WriteLine(FormatLine(error));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The log itself is gone (closed stderr); the error sinks below still get the error.
            }
        }
        foreach (var sink in _sinks)
        {
            if (sink is not IErrorSink errors || ReferenceEquals(sink, failed)) continue;
            try
            {
                errors.WriteError(error);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _sinkErrors++;
            }
        }
    }

    /// <summary>One text line per survived failure, for stderr and the journal.</summary>
    public static string FormatLine(PipelineError error)
    {
        string retry = error.RetryInMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $"; retrying in {ms:0} ms") : "";
        string attempt = error.Stage == "capture" ? string.Create(CultureInfo.InvariantCulture, $", attempt {error.Attempt}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"pipeline: {error.Stage} failed (trigger {error.Trigger.Sequence} from {error.Trigger.Source}{attempt}): {error.Message}{retry}");
    }

    private void StopTrigger()
    {
        if (_stopped || !_started) return;
        _stopped = true;
        try
        {
            _trigger.Stop();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _options.Log?.WriteLine($"pipeline: stopping trigger {_trigger.Description}: {ex.Message}");
        }
    }

    /// <summary>Stops the trigger and disposes every part, each on its own so one failure does not leak the others.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        StopTrigger();
        _disposed = true;
        DisposeQuietly(_trigger, _trigger.Description);
        DisposeQuietly(_camera, _camera.Description);
        DisposeQuietly(_backend, _backend.Name);
        foreach (var sink in _sinks) DisposeQuietly(sink, sink.GetType().Name);
        _slot.Dispose();
    }

    private void DisposeQuietly(IDisposable part, string name)
    {
        try
        {
            part.Dispose();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _options.Log?.WriteLine($"pipeline: closing {name}: {ex.Message}");
        }
    }
}
