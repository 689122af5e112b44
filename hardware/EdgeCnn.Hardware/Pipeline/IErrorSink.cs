namespace EdgeCnn.Hardware.Pipeline;

/// <summary>A result sink that also records the pipeline's survived failures (the JSON lines sink writes them as
/// "error" lines). The pipeline passes every <see cref="PipelineError"/> to each sink implementing this.</summary>
public interface IErrorSink
{
    void WriteError(PipelineError error);
}
