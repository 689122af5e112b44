using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;
using Google.Protobuf;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// Runs one ONNX node test: import → compile → run, straight and after an .ecnn write/read round trip,
/// and compares every output with the test's expected tensors.
/// </summary>
/// <remarks>
/// Binding: an input that is not float32, or that the importer says must be constant for its consumer
/// (e.g. Reshape's shape, Slice's starts), becomes a compile-time constant; every other input keeps its
/// role as runtime data with its shape bound. Integer outputs (Shape, integer arithmetic on bound
/// inputs) can only come from folded constants, since the runtime computes in float32: they are read
/// from the model's weight blob and compared exactly.
/// </remarks>
internal static class NodeTestRunner
{
    public static NodeTestResult Run(NodeTest test)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(test.ModelPath));
        }
        catch (Exception ex) when (ex is IOException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return NodeTestResult.Failed(test, $"model.onnx: {ex.Message}");
        }

        if (test.RaisedOpset is { } raised)
            foreach (var o in proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx"))
                o.Version = raised;

        var dataSets = test.DataSets();
        if (dataSets.Count == 0) return NodeTestResult.Failed(test, "no test_data_set_* directory");
        var tolerance = ConformanceTolerances.For(test);
        foreach (var dataSet in dataSets)
        {
            var outcome = RunDataSet(test, proto, dataSet, tolerance);
            if (outcome is not null) return outcome;
        }
        var notes = new List<string>();
        if (test.RaisedOpset is not null)
            notes.Add($"run at opset {test.CompileOpset}: the model imports opset {test.Opset}, and its ops have not changed since");
        if (tolerance != Tolerance.Default) notes.Add($"tolerance {tolerance}");
        return NodeTestResult.Passed(test, string.Join("; ", notes));
    }

    /// <summary>Null when the data set passed both ways.</summary>
    private static NodeTestResult? RunDataSet(NodeTest test, ModelProto proto, string dataSet, Tolerance tolerance)
    {
        string set = Path.GetFileName(dataSet);
        var graph = proto.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var inputFiles = NumberedFiles(dataSet, "input_");
        var outputFiles = NumberedFiles(dataSet, "output_");
        if (inputFiles.Count > inputs.Count)
            return NodeTestResult.Failed(test, $"{set} has {inputFiles.Count} input files, the graph declares {inputs.Count} inputs");
        if (outputFiles.Count != graph.Output.Count)
            return NodeTestResult.Failed(test, $"{set} has {outputFiles.Count} output files, the graph declares {graph.Output.Count} outputs");

        // Strings, sequences and optionals have no type in EdgeCnn's IR (the issue's operators are float32):
        // such a test is skipped only if the importer also refuses it.
        var unrepresentable = graph.Input.Concat(graph.Output).Select(NodeTestData.Unrepresentable).FirstOrDefault(r => r is not null);

        var constants = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var feeds = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int k = 0; k < inputFiles.Count; k++)
        {
            var input = inputs[k];
            if (NodeTestData.Unrepresentable(input) is not null) continue;
            TensorData data;
            try
            {
                data = NodeTestData.Read(inputFiles[k], input);
            }
            catch (OnnxImportException ex)
            {
                return NodeTestResult.Failed(test, $"{set}: {ex.Message}");
            }
            // ONNX Runtime refuses such data as well; it is a defect of the test, not of the compiler.
            if (NodeTestData.Contradiction(data, input) is { } contradiction)
                return NodeTestResult.Skipped(test, $"test data contradicts the model: {contradiction}");
            if (data.Type != ElementType.Float32 || MustBeConstant(graph, input.Name, test.CompileOpset))
            {
                constants[input.Name] = data;
            }
            else
            {
                shapes[input.Name] = data.Shape;
                feeds[input.Name] = data.Floats!;
            }
        }

        var options = new CompileOptions { Import = new ImportOptions { InputShapes = shapes, ConstantInputs = constants } };
        CompiledModel model;
        try
        {
            model = test.RaisedOpset is null
                ? ModelCompiler.Compile(test.ModelPath, options)
                : ModelCompiler.Compile(OnnxImporter.Load(proto.ToByteArray(), test.ModelPath, options.Import), options);
        }
        catch (UnsupportedOperatorException ex)
        {
            return NodeTestResult.Skipped(test, ex.Message);
        }
        catch (OnnxImportException ex) when (unrepresentable is not null)
        {
            return NodeTestResult.Skipped(test, $"{unrepresentable}, which EdgeCnn's IR has no type for; the importer refuses it: {ex.Message}");
        }
        catch (Exception ex)
        {
            return NodeTestResult.Failed(test, $"compile: {Describe(ex)}");
        }
        if (unrepresentable is not null)
            return NodeTestResult.Failed(test, $"compiled, although {unrepresentable}, which the runtime cannot be fed or produce");

        var expected = new List<(string Name, TensorData Data)>();
        for (int k = 0; k < outputFiles.Count; k++)
        {
            try
            {
                expected.Add((graph.Output[k].Name, NodeTestData.Read(outputFiles[k], graph.Output[k])));
            }
            catch (OnnxImportException ex)
            {
                return NodeTestResult.Failed(test, $"compiled, but expected {Path.GetFileName(outputFiles[k])} cannot be read: {ex.Message}");
            }
        }

        var direct = RunAndCompare(model, feeds, expected, tolerance);
        if (direct is not null) return NodeTestResult.Failed(test, $"{set}, straight from ONNX: {direct}");

        CompiledModel reloaded;
        try
        {
            reloaded = EcnnRoundTrip.Through(model);
        }
        catch (Exception ex)
        {
            return NodeTestResult.Failed(test, $".ecnn round trip: {Describe(ex)}");
        }
        var viaFile = RunAndCompare(reloaded, feeds, expected, tolerance);
        return viaFile is null ? null : NodeTestResult.Failed(test, $"{set}, through .ecnn: {viaFile}");
    }

    private static bool MustBeConstant(GraphProto graph, string input, int opset)
    {
        foreach (var node in graph.Node)
            for (int j = 0; j < node.Input.Count; j++)
                if (node.Input[j] == input && OnnxOperatorSupport.RequiresConstantInput(node.OpType, j, opset))
                    return true;
        return false;
    }

    /// <summary>Null when every output matches; otherwise what differs.</summary>
    private static string? RunAndCompare(CompiledModel model, Dictionary<string, float[]> feeds,
        List<(string Name, TensorData Data)> expected, Tolerance tolerance)
    {
        var outputs = MatchOutputs(model, expected.Select(e => e.Name).ToList(), out var matchError);
        if (outputs is null) return matchError;

        Dictionary<int, float[]> produced;
        try
        {
            produced = Execute(model, feeds);
        }
        catch (Exception ex)
        {
            return $"run: {Describe(ex)}";
        }

        for (int k = 0; k < expected.Count; k++)
        {
            var (name, want) = expected[k];
            int tensor = outputs[k];
            var info = model.Tensors[tensor];
            if (!info.Shape.AsSpan().SequenceEqual(want.Shape))
                return $"output '{name}' has shape [{string.Join(',', info.Shape)}], expected [{string.Join(',', want.Shape)}]";
            string? diff;
            if (want.Type.IsFloatingPoint())
            {
                if (info.Type != DataType.Float32)
                    return $"output '{name}' is {info.Type}, expected {want.Type.OnnxName()}";
                diff = TensorComparison.CompareFloats(produced[tensor], want.Floats!, want.Shape, tolerance);
            }
            else if (info.Type == DataType.Float32)
            {
                diff = TensorComparison.CompareIntegers(Array.ConvertAll(produced[tensor], v => (long)v), want.Longs!, want.Shape);
                if (diff is null && Array.Exists(produced[tensor], v => v != MathF.Truncate(v)))
                    diff = "integer output carries fractional values";
            }
            else
            {
                if (info.Kind != TensorKind.Constant)
                    return $"output '{name}' is a computed {info.Type} tensor; the float32 runtime cannot produce it";
                diff = TensorComparison.CompareIntegers(IntegerConstant(model, tensor), want.Longs!, want.Shape);
            }
            if (diff is not null) return $"output '{name}': {diff}";
        }
        return null;
    }

    /// <summary>Compiled output tensor for each ONNX output, by name (the compiler keeps graph-output names).</summary>
    private static int[]? MatchOutputs(CompiledModel model, List<string> names, out string error)
    {
        error = "";
        var result = new int[names.Count];
        for (int k = 0; k < names.Count; k++)
        {
            int found = Array.FindIndex(model.Outputs, t => model.Tensors[t].Name == names[k]);
            if (found < 0)
            {
                error = $"the compiled model has no output named '{names[k]}' (outputs: {string.Join(", ", model.Outputs.Select(t => model.Tensors[t].Name))})";
                return null;
            }
            result[k] = model.Outputs[found];
        }
        return result;
    }

    /// <summary>Runs the float part of the model; returns the float outputs by tensor index.</summary>
    private static Dictionary<int, float[]> Execute(CompiledModel model, Dictionary<string, float[]> feeds)
    {
        var floatOutputs = model.Outputs.Where(t => model.Tensors[t].Type == DataType.Float32).ToArray();
        var result = new Dictionary<int, float[]>();
        if (floatOutputs.Length == 0) return result;

        // Non-float outputs are folded constants read straight from the weights; the session only
        // hands out float32 outputs, so it runs a view of the model without them.
        var runnable = floatOutputs.Length == model.Outputs.Length
            ? model
            : new CompiledModel(model.Tensors, model.Ops, model.Inputs, floatOutputs, model.Weights);
        var inputs = new List<ReadOnlyMemory<float>>();
        foreach (var t in runnable.Inputs)
        {
            var name = runnable.Tensors[t].Name;
            if (!feeds.TryGetValue(name, out var data))
                throw new InvalidOperationException($"compiled model input '{name}' has no data (fed: {string.Join(", ", feeds.Keys)})");
            inputs.Add(data);
        }
        var buffers = floatOutputs.Select(t => new float[runnable.Tensors[t].ElementCount]).ToArray();
        new Session(runnable).Run(inputs, buffers.Select(b => (Memory<float>)b).ToList());
        for (int i = 0; i < floatOutputs.Length; i++) result[floatOutputs[i]] = buffers[i];
        return result;
    }

    private static long[] IntegerConstant(CompiledModel model, int tensor)
    {
        var bytes = model.ConstantBytes(tensor).Span;
        return model.Tensors[tensor].Type switch
        {
            DataType.Int64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            DataType.Int32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), v => (long)v),
            DataType.Int8 => Array.ConvertAll(MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(), v => (long)v),
            DataType.UInt8 => Array.ConvertAll(bytes.ToArray(), v => (long)v),
            var other => throw new InvalidOperationException($"constant output '{model.Tensors[tensor].Name}' has type {other}"),
        };
    }

    private static List<string> NumberedFiles(string directory, string prefix) =>
        Directory.GetFiles(directory, prefix + "*.pb")
            .Select(f => (File: f, Index: int.TryParse(Path.GetFileNameWithoutExtension(f)[prefix.Length..], out var k) ? k : -1))
            .Where(f => f.Index >= 0)
            .OrderBy(f => f.Index)
            .Select(f => f.File)
            .ToList();

    private static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}";
        // Crash-type exceptions are bugs, not diagnostics: keep the frame that threw so the report points at it.
        if (ex is NullReferenceException or IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidCastException
            && ex.StackTrace is { } trace)
            text += " at " + trace.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault();
        return text;
    }
}
