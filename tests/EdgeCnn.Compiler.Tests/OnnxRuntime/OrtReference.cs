using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>ONNX Runtime (CPU) as the reference implementation: one session per model, float32 in and out.</summary>
internal sealed class OrtReference : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;

    private OrtReference(Func<SessionOptions, InferenceSession> open)
    {
        _options = new SessionOptions
        {
            // The build machine is shared; one thread keeps the reference runs from starving parallel builds.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        _session = open(_options);
    }

    public static OrtReference FromFile(string path) => new(o => new InferenceSession(path, o));

    public static OrtReference FromBytes(byte[] model) => new(o => new InferenceSession(model, o));

    public IReadOnlyList<string> InputNames => _session.InputNames;

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Runs with named inputs (name → data, shape); returns every output in graph order.</summary>
    public List<float[]> Run(IReadOnlyList<(string Name, float[] Data, int[] Shape)> inputs)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var (_, data, shape) in inputs)
                values.Add(OrtValue.CreateTensorValueFromMemory(data, Array.ConvertAll(shape, d => (long)d)));
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, _session.OutputNames);
            return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToList();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
