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
internal static class OrtBench
{
    public static BenchRow Run(string onnxPath, string precision, CompiledModel model, BenchInputs inputs, int warmup, int runs)
    {
        if (!File.Exists(onnxPath)) throw new InputFileException(onnxPath, "file not found");
        using var options = new OrtSessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = Load(onnxPath, options);

        var inputNames = session.InputMetadata.Keys.ToArray();
        var inputValues = new List<OrtValue>();
        var outputNames = session.OutputMetadata.Keys.ToArray();
        var outputValues = new List<OrtValue>();
        try
        {
            foreach (var name in inputNames)
            {
                int i = Array.IndexOf(inputs.Names, name);
                if (i < 0)
                    throw new InputFileException(onnxPath, $"ONNX input '{name}' is not an input of the benchmarked model (its inputs: {string.Join(", ", inputs.Names)})");
                RequireFloat(onnxPath, "input", name, session.InputMetadata[name]);
                inputValues.Add(OrtValue.CreateTensorValueFromMemory(inputs.Data[i], inputs.Shapes[i].Select(d => (long)d).ToArray()));
            }

            var outputs = new float[outputNames.Length][];
            var ordered = new float[model.Outputs.Length][];
            for (int k = 0; k < outputNames.Length; k++)
            {
                string name = outputNames[k];
                int o = Array.FindIndex(model.Outputs, t => model.Tensors[t].Name == name);
                if (o < 0)
                    throw new InputFileException(onnxPath, $"ONNX output '{name}' is not an output of the benchmarked model (its outputs: {string.Join(", ", model.Outputs.Select(t => model.Tensors[t].Name))})");
                RequireFloat(onnxPath, "output", name, session.OutputMetadata[name]);
                var info = model.Tensors[model.Outputs[o]];
                outputs[k] = new float[info.ElementCount];
                ordered[o] = outputs[k];
                outputValues.Add(OrtValue.CreateTensorValueFromMemory(outputs[k], info.Shape.Select(d => (long)d).ToArray()));
            }
            for (int o = 0; o < ordered.Length; o++) ordered[o] ??= [];

            using var runOptions = new RunOptions();
            void RunOnce()
            {
                try
                {
                    session.Run(runOptions, inputNames, inputValues, outputNames, outputValues);
                }
                catch (OnnxRuntimeException ex)
                {
                    throw new InputFileException(onnxPath, $"ONNX Runtime failed to run it: {ex.Message}", ex);
                }
            }
            var timing = TimedRuns.Measure(RunOnce, warmup, runs);
            return new BenchRow(BenchRow.OrtEngine, precision, null, onnxPath, timing, null, null, ordered);
        }
        finally
        {
            foreach (var v in inputValues) v.Dispose();
            foreach (var v in outputValues) v.Dispose();
        }
    }

    /// <summary>The ONNX Runtime version the CLI ships with (the package's, as its native library reports it).</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

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
