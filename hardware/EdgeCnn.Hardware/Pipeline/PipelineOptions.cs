namespace EdgeCnn.Hardware.Pipeline;

/// <summary>How a <see cref="CapturePipeline"/> runs. The defaults suit a service; tests shorten the delays and inject a
/// <see cref="TimeProvider"/>.</summary>
public sealed class PipelineOptions
{
    /// <summary>Classes per result.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Class names, line i naming class i.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Stop after this many triggers have arrived (accepted or dropped) and the accepted ones are handled;
    /// null runs until cancelled.</summary>
    public long? MaxTriggers { get; init; }

    /// <summary>Capture attempts per trigger before the trigger is given up as a capture failure.</summary>
    public int CaptureAttempts { get; init; } = 5;

    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Clock for latencies, error timestamps and retry delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where survived failures are logged as one text line each (stderr in the CLI); null for none.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Saves each captured frame before preprocessing; null saves nothing.</summary>
    public Output.FrameSaver? FrameSaver { get; init; }

    /// <summary>Latency samples kept per stage for the summary's medians (the most recent ones).</summary>
    public int LatencyWindow { get; init; } = 4096;

    internal void Validate()
    {
        if (TopK < 1) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "at least one class per result");
        if (MaxTriggers is < 1) throw new ArgumentOutOfRangeException(nameof(MaxTriggers), MaxTriggers, "at least one trigger");
        if (CaptureAttempts < 1) throw new ArgumentOutOfRangeException(nameof(CaptureAttempts), CaptureAttempts, "at least one attempt");
        if (LatencyWindow < 1) throw new ArgumentOutOfRangeException(nameof(LatencyWindow), LatencyWindow, "at least one sample");
    }
}
