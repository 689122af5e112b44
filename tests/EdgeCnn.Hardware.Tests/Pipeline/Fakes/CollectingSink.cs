using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Pipeline.Fakes;

/// <summary>Keeps a copy of every result and error (the pipeline reuses its result object).</summary>
internal sealed class CollectingSink : IResultSink, IErrorSink
{
    public sealed record Copy(TriggerEvent Trigger, long FrameSequence, string? FrameName, ClassScore[] Top, long Dropped, double CaptureMs, string? Saved);

    public List<Copy> Results { get; } = [];

    public List<PipelineError> Errors { get; } = [];

    public bool Disposed { get; private set; }

    /// <summary>Result numbers (1-based) that throw.</summary>
    public HashSet<int> FailingWrites { get; init; } = [];

    private int _writes;

    public void Write(InferenceResult result)
    {
        if (FailingWrites.Contains(++_writes)) throw new IOException("disk full");
        var copy = new Copy(result.Trigger, result.FrameSequence, result.FrameName, result.TopK[..result.TopKCount],
            result.DroppedSinceLast, result.CaptureMs, result.SavedFramePath);
        // The worker adds while the test thread polls the counts.
        lock (this) Results.Add(copy);
    }

    public void WriteError(PipelineError error)
    {
        lock (this) Errors.Add(error);
    }

    public void Dispose() => Disposed = true;
}
