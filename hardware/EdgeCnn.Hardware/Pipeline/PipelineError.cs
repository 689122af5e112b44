namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// A failure the pipeline survived: a capture that will be retried, a frame that could not be preprocessed, a sink
/// that threw. <see cref="Stage"/> is "capture", "save", "preprocess", "inference" or "sink"; <see cref="RetryInMs"/>
/// is set when the pipeline will try again after that delay; <see cref="Attempt"/> counts capture attempts for the
/// trigger (1 for the first).
/// </summary>
public sealed record PipelineError(
    DateTimeOffset Timestamp,
    string Stage,
    string Message,
    TriggerEvent Trigger,
    int Attempt = 1,
    double? RetryInMs = null);
