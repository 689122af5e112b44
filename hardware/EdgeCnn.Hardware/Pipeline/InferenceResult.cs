namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// What the pipeline reports for one handled trigger. <see cref="TopK"/> is a buffer the pipeline reuses: a sink
/// reads it during <see cref="IResultSink.Write"/> and must not keep it. Times are milliseconds.
/// </summary>
public sealed class InferenceResult
{
    public TriggerEvent Trigger { get; set; }

    /// <summary>Frame sequence number and name (a file name for folder sources), from the source.</summary>
    public long FrameSequence { get; set; }

    public string? FrameName { get; set; }

    /// <summary>Top-k classes, best first; only the first <see cref="TopKCount"/> entries are valid.</summary>
    public ClassScore[] TopK { get; set; } = [];

    public int TopKCount { get; set; }

    public double CaptureMs { get; set; }

    public double PreprocessMs { get; set; }

    public double InferenceMs { get; set; }

    /// <summary>Triggers dropped (arrived while busy) since the previous result.</summary>
    public long DroppedSinceLast { get; set; }

    /// <summary>Where the frame was saved, when frame saving is on.</summary>
    public string? SavedFramePath { get; set; }
}
