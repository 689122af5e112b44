using EdgeCnn.Hardware.Backends;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>
/// ONNX Runtime behind <see cref="IInferenceBackend"/>: the first execution provider that loads the model (CUDA, then
/// CPU by default; <see cref="Log"/> says which and why the others failed). Input and output are pinned arrays bound
/// once through an <see cref="OrtIoBinding"/>, so the caller writes the image in place and a run is one native call
/// with no managed tensors created. The input is always float (a QDQ int8 model quantizes inside).
/// </summary>
public sealed class OrtBackend : IInferenceBackend
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly List<string> _log = [];
    private readonly TextWriter? _logWriter;
    private readonly string _path;

    /// <exception cref="FileNotFoundException">No file at <paramref name="onnxPath"/>.</exception>
    /// <exception cref="BackendException">No provider loads the model, or its input or output is not a float tensor
    /// the pipeline can feed (the message names the file and the tensor).</exception>
    public OrtBackend(string onnxPath, OrtBackendOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        if (!File.Exists(onnxPath)) throw new FileNotFoundException($"model file '{onnxPath}' not found", onnxPath);
        options ??= new OrtBackendOptions();
        _path = onnxPath;
        _logWriter = options.Log;
        List<string> failures;
        try
        {
            (_session, Provider, failures) = OrtSessionOpener.Open(onnxPath, options, Write);
            string inputName = SingleInput(out var inputMeta);
            var shape = OrtInputShape.Resolve(onnxPath, inputName, inputMeta.Dimensions, options.InputShape);
            Input = new BackendInput(inputName, shape, IsInt8: false);
            _input = GC.AllocateArray<float>(checked(shape.Aggregate(1, (a, d) => a * d)), pinned: true);
            _inputValue = OrtValue.CreateTensorValueFromMemory(_input, shape.Select(d => (long)d).ToArray());

            string outputName = _session.OutputNames[0];
            RequireFloat("output", outputName, _session.OutputMetadata[outputName]);
            // Symbolic output dims are only known after a run: one run on zeros fixes the output shape (and warms ORT up).
            var outputShape = ProbeOutputShape(inputName, outputName);
            _output = GC.AllocateArray<float>(checked((int)outputShape.Aggregate(1L, (a, d) => a * d)), pinned: true);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_output, outputShape);

            _binding = _session.CreateIoBinding();
            _binding.BindInput(inputName, _inputValue);
            _binding.BindOutput(outputName, _outputValue);
        }
        catch
        {
            Dispose();
            throw;
        }
        string fallback = failures.Count == 0 ? "" : $" ({string.Join("; ", failures)})";
        Description = $"ONNX Runtime {OrtProviders.Version}, {Provider}{fallback}";
    }

    public string Name => "ort";

    public string Description { get; }

    /// <summary>The execution provider the session runs on, e.g. "CPUExecutionProvider".</summary>
    public string Provider { get; } = "";

    /// <summary>What happened while choosing the provider, one line per provider tried, e.g.
    /// "CUDA: not in this ONNX Runtime build (available: CPUExecutionProvider)" then "CPU: using CPUExecutionProvider".</summary>
    public IReadOnlyList<string> Log => _log;

    public BackendInput Input { get; } = null!;

    public int OutputLength => _output.Length;

    public Span<float> InputFloat() => _input;

    public Span<sbyte> InputInt8() =>
        throw new InvalidOperationException($"input '{Input.Name}' of the ONNX Runtime backend takes floats (a QDQ int8 model quantizes them inside); write them through InputFloat");

    public void Run()
    {
        try
        {
            _session.RunWithBinding(_runOptions, _binding);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new BackendException($"'{_path}': ONNX Runtime failed to run it: {ex.Message}", ex);
        }
    }

    public ReadOnlySpan<float> Output() => _output;

    public void Dispose()
    {
        // Null only when the constructor failed part way.
        _binding?.Dispose();
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _runOptions.Dispose();
        _session?.Dispose();
    }

    private void Write(string line)
    {
        _log.Add(line);
        _logWriter?.WriteLine(line);
    }

    private string SingleInput(out NodeMetadata metadata)
    {
        var names = _session.InputNames;
        if (names.Count != 1)
            throw new BackendException($"'{_path}': the model has {names.Count} inputs ({string.Join(", ", names)}); the pipeline feeds exactly one image");
        metadata = _session.InputMetadata[names[0]];
        RequireFloat("input", names[0], metadata);
        return names[0];
    }

    private void RequireFloat(string role, string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
            throw new BackendException($"'{_path}': ONNX {role} '{name}' is {(metadata.IsTensor ? metadata.ElementDataType.ToString() : metadata.OnnxValueType.ToString())}; the ONNX Runtime backend feeds and reads float32 tensors");
    }

    private long[] ProbeOutputShape(string inputName, string outputName)
    {
        try
        {
            using var results = _session.Run(_runOptions, [inputName], [_inputValue], [outputName]);
            return results[0].GetTensorTypeAndShape().Shape;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new BackendException($"'{_path}': ONNX Runtime failed to run it on input [{string.Join(',', Input.Shape)}]: {ex.Message}", ex);
        }
    }
}
