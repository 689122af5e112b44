using EdgeCnn.Cli.IO;
using EdgeCnn.Runtime.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>
/// Times ONNX Runtime (CPU execution provider) on an ONNX file, single-threaded (one intra-op and one inter-op
/// thread, sequential execution) so it compares with EdgeCnn's single thread, with every graph optimization on.
/// It gets the EdgeCnn benchmark's own input arrays and writes into output arrays shaped like EdgeCnn's outputs,
/// both bound once, so a timed run is one native call and nothing is copied.
/// </summary>
internal sealed class OrtBench : IBenchTarget
{
    private readonly string _onnxPath;
    private readonly string _precision;
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly List<OrtValue> _inputValues = [];
    private readonly List<OrtValue> _outputValues = [];
    private readonly float[][] _ordered;
    private readonly RunOptions _runOptions = new();

    public OrtBench(string onnxPath, string precision, CompiledModel model, BenchInputs inputs)
    {
        if (!File.Exists(onnxPath)) throw new InputFileException(onnxPath, "file not found");
        _onnxPath = onnxPath;
        _precision = precision;
        using var options = new OrtSessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = Load(onnxPath, options);
        try
        {
            _inputNames = _session.InputMetadata.Keys.ToArray();
            foreach (var name in _inputNames)
            {
                int i = Array.IndexOf(inputs.Names, name);
                if (i < 0)
                    throw new InputFileException(onnxPath, $"ONNX input '{name}' is not an input of the benchmarked model (its inputs: {string.Join(", ", inputs.Names)})");
                RequireFloat(onnxPath, "input", name, _session.InputMetadata[name]);
                _inputValues.Add(OrtValue.CreateTensorValueFromMemory(inputs.Data[i], inputs.Shapes[i].Select(d => (long)d).ToArray()));
            }

            _outputNames = _session.OutputMetadata.Keys.ToArray();
            _ordered = new float[model.Outputs.Length][];
            foreach (var name in _outputNames)
            {
                int o = Array.FindIndex(model.Outputs, t => model.Tensors[t].Name == name);
                if (o < 0)
                    throw new InputFileException(onnxPath, $"ONNX output '{name}' is not an output of the benchmarked model (its outputs: {string.Join(", ", model.Outputs.Select(t => model.Tensors[t].Name))})");
                RequireFloat(onnxPath, "output", name, _session.OutputMetadata[name]);
                var info = model.Tensors[model.Outputs[o]];
                _ordered[o] = new float[info.ElementCount];
                _outputValues.Add(OrtValue.CreateTensorValueFromMemory(_ordered[o], info.Shape.Select(d => (long)d).ToArray()));
            }
            for (int o = 0; o < _ordered.Length; o++) _ordered[o] ??= [];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Description => $"ONNX Runtime {_precision}";

    /// <summary>The ONNX Runtime version the CLI ships with (the package's, as its native library reports it).</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    public void RunOnce()
    {
        try
        {
            _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InputFileException(_onnxPath, $"ONNX Runtime failed to run it: {ex.Message}", ex);
        }
    }

    public BenchRow Finish(TimedResult timing) =>
        new(BenchRow.OrtEngine, _precision, null, _onnxPath, timing, null, null, _ordered.Select(o => (float[])o.Clone()).ToArray());

    public void Dispose()
    {
        foreach (var v in _inputValues) v.Dispose();
        foreach (var v in _outputValues) v.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static InferenceSession Load(string onnxPath, OrtSessionOptions options)
    {
        try
        {
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InputFileException(onnxPath, $"ONNX Runtime cannot load it: {ex.Message}", ex);
        }
    }

    private static void RequireFloat(string onnxPath, string role, string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
            throw new InputFileException(onnxPath, $"ONNX {role} '{name}' is {metadata.ElementDataType}; the benchmark feeds and reads float32 tensors");
    }
}
