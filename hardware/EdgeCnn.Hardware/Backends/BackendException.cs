namespace EdgeCnn.Hardware.Backends;

/// <summary>No backend can run the model as asked: an .ecnn model for ONNX Runtime, an ONNX model with ops the native
/// runtime lacks under <c>--backend native</c>, no execution provider that loads it. The message names the model file
/// and, where they decide it, the ops or providers.</summary>
public sealed class BackendException : Exception
{
    public BackendException(string message) : base(message) { }

    public BackendException(string message, Exception inner) : base(message, inner) { }
}
