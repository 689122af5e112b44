namespace EdgeCnn.Hardware.Pipeline;

/// <summary>Receives every result on the pipeline's worker thread (JSON lines, a GPIO output pin, …). A sink's failure
/// is reported by the pipeline and does not stop it.</summary>
public interface IResultSink : IDisposable
{
    void Write(InferenceResult result);
}
