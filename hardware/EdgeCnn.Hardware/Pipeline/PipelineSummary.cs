namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// What a pipeline run did, printed at shutdown. <see cref="Triggers"/> = handled + <see cref="Dropped"/> + at most one
/// trigger still pending when the run was cancelled. <see cref="CaptureFailures"/> are triggers given up after every
/// capture attempt failed, <see cref="CaptureErrors"/> the failed attempts; <see cref="OtherFailures"/> are frames lost
/// to preprocessing or inference errors. Medians are over the most recent processed frames (null when none was).
/// </summary>
public sealed record PipelineSummary(
    long Triggers,
    long Processed,
    long Dropped,
    long CaptureFailures,
    long CaptureErrors,
    long OtherFailures,
    long SinkErrors,
    double? MedianCaptureMs,
    double? MedianPreprocessMs,
    double? MedianInferenceMs,
    double? MedianTotalMs);
