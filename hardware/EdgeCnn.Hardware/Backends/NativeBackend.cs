using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// The native EdgeCnn runtime behind <see cref="IInferenceBackend"/>: the caller writes the image straight into the
/// session's arena (<see cref="InputFloat"/> / <see cref="InputInt8"/>), and <see cref="Output"/> is the arena place of
/// the first output, so a run copies nothing and allocates nothing.
/// </summary>
public sealed class NativeBackend : IInferenceBackend
{
    private readonly Session _session;
    private readonly CompiledModel? _ownedModel;

    /// <summary>Loads an .ecnn model file; the backend owns (and disposes) the loaded model.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="ecnnPath"/>.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid .ecnn model (the message names the file).</exception>
    public NativeBackend(string ecnnPath, SessionOptions? options = null)
        : this(LoadModel(ecnnPath), options, ownsModel: true, ecnnPath)
    {
    }

    /// <summary>Runs a model already in memory (e.g. compiled from ONNX by the CLI). The caller keeps ownership of
    /// <paramref name="model"/> unless <paramref name="ownsModel"/>.</summary>
    /// <param name="source">Names the model in error messages (its file, usually).</param>
    public NativeBackend(CompiledModel model, SessionOptions? options = null, bool ownsModel = false, string source = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            Input = DescribeInput(model, source);
            var output = model.OutputInfo(0);
            if (output.Type != DataType.Float32)
                throw new ArgumentException($"{source}: output '{output.Name}' is {output.Type}; the pipeline reads Float32 scores (quantized models dequantize their outputs inside)", nameof(model));
            OutputLength = checked((int)output.ElementCount);
            _session = new Session(model, options);
        }
        catch
        {
            if (ownsModel) model.Dispose();
            throw;
        }
        _ownedModel = ownsModel ? model : null;
        Description = $"EdgeCnn runtime, kernel path {_session.KernelPath}, {_session.ThreadCount} thread{(_session.ThreadCount == 1 ? "" : "s")}";
    }

    public string Name => "native";

    public string Description { get; }

    public BackendInput Input { get; }

    public int OutputLength { get; }

    /// <summary>The session, for callers that report its arena or kernel path.</summary>
    public Session Session => _session;

    public Span<float> InputFloat()
    {
        if (Input.IsInt8)
            throw new InvalidOperationException($"input '{Input.Name}' of the native backend takes int8 codes (scale {Input.Scale:G6}, zero point {Input.ZeroPoint}); write them through InputInt8");
        return _session.InputFloat(0);
    }

    public Span<sbyte> InputInt8()
    {
        if (!Input.IsInt8)
            throw new InvalidOperationException($"input '{Input.Name}' of the native backend takes floats; write them through InputFloat");
        return _session.InputInt8(0);
    }

    public void Run() => _session.Run();

    public ReadOnlySpan<float> Output() => _session.OutputFloat(0);

    public void Dispose()
    {
        _session.Dispose();
        _ownedModel?.Dispose();
    }

    private static CompiledModel LoadModel(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"model file '{path}' not found", path);
        return ModelReader.Load(path);
    }

    /// <summary>The pipeline feeds one image; an int8 input needs one scale and zero point to quantize pixels into.</summary>
    private static BackendInput DescribeInput(CompiledModel model, string source)
    {
        if (model.Inputs.Length != 1)
            throw new ArgumentException($"{source}: the model has {model.Inputs.Length} inputs; the pipeline feeds exactly one image", nameof(model));
        if (model.Outputs.Length == 0)
            throw new ArgumentException($"{source}: the model has no outputs", nameof(model));
        var info = model.InputInfo(0);
        switch (info.Type)
        {
            case DataType.Float32:
                return new BackendInput(info.Name, (int[])info.Shape.Clone(), IsInt8: false);
            case DataType.Int8 when info.Quant is { IsPerTensor: true } q:
                return new BackendInput(info.Name, (int[])info.Shape.Clone(), IsInt8: true, q.Scale, q.ZeroPoint);
            case DataType.Int8:
                throw new ArgumentException($"{source}: input '{info.Name}' is Int8 without per-tensor quantization; an image cannot be quantized into it", nameof(model));
            default:
                throw new ArgumentException($"{source}: input '{info.Name}' is {info.Type}; the pipeline feeds Float32 or Int8 images", nameof(model));
        }
    }
}
