using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.BiasCorrection;

/// <summary>
/// Empirical bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and Bias
/// Correction", §4.2, in its empirical form): rounding a layer's weights to int8 shifts the mean of each output
/// channel by E[(W_q − W)·x]. Measured on calibration samples, that shift is subtracted from the layer's float bias
/// (a zero bias is created where there is none), so the quantizer then writes a bias that cancels it.
///
/// The input x is the int8 model's own input to the layer, dequantized: what the layer really sees once everything
/// upstream is quantized and already corrected. Layers are therefore corrected in rounds, in topological order: round
/// d holds the int8 layers with d corrected layers on their longest path from the graph inputs (themselves included);
/// each round runs the int8 model with every earlier correction applied. A chain of n layers takes n rounds. The
/// result depends only on the graph, the ranges and the samples (integer sums, fixed order).
/// </summary>
public static class BiasCorrector
{
    /// <summary>Corrects the float biases of <paramref name="graph"/> (prepared, as <see cref="Quantizer.Quantize"/> takes
    /// it) in place; quantize it afterwards with the same <paramref name="ranges"/> and <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">No samples, or a sample the model rejects.</exception>
    public static BiasCorrectionSummary Correct(Graph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options,
        ICalibrationSamples samples)
    {
        if (samples.Count == 0) throw new ArgumentException("bias correction needs at least one calibration sample", nameof(samples));
        graph.Validate();
        var work = Sensitivity.GraphCopy.Of(graph);
        var original = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < work.Nodes.Count; i++) original[work.Nodes[i]] = graph.Nodes[i];
        // The copy keeps its float input and Quantize, so the float samples feed it; the layers see the same int8 values.
        Quantizer.Quantize(work, ranges, options with { BiasCorrectionSamples = null, Int8Input = false });
        var layers = Layers(work, original);
        int rounds = layers.Count == 0 ? 0 : layers.Max(l => l.Round);
        var corrected = new List<CorrectedLayer>();
        for (int round = 1; round <= rounds; round++)
        {
            var active = layers.Where(l => l.Round == round).ToList();
            Measure(work, active, samples);
            foreach (var layer in active) corrected.Add(Apply(graph, work, layer));
        }
        return new BiasCorrectionSummary(corrected, samples.Count, rounds);
    }

    private sealed class Layer(Node int8Node, Node floatNode, int round, Spatial2DGeometry geometry)
    {
        public Node Int8Node { get; } = int8Node;
        public Node FloatNode { get; } = floatNode;
        public int Round { get; } = round;
        public WindowInputMeans Means { get; } = new(geometry);
    }

    /// <summary>The int8 Conv2D/FullyConnected nodes of the quantized copy with their depth in corrected layers.</summary>
    private static List<Layer> Layers(Graph work, Dictionary<Node, Node> original)
    {
        var depth = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var layers = new List<Layer>();
        foreach (var node in work.Nodes)
        {
            int d = 0;
            foreach (var v in node.Inputs)
                if (v is not null && depth.TryGetValue(v, out int upstream)) d = Math.Max(d, upstream);
            if (IsInt8Weighted(node) && original.TryGetValue(node, out var floatNode))
            {
                d++;
                layers.Add(new Layer(node, floatNode, d, Geometry(node)));
            }
            foreach (var o in node.Outputs) depth[o] = d;
        }
        return layers;
    }

    private static bool IsInt8Weighted(Node node) =>
        (node.Is(OpCode.Conv2D) || node.Is(OpCode.FullyConnected)) && node.InputOrNull(1) is { Type: ElementType.Int8, IsConstant: true };

    private static Spatial2DGeometry Geometry(Node node)
    {
        var x = node.Input(0).RequireShape();
        var w = node.Input(1).RequireShape();
        var y = node.Outputs[0].RequireShape();
        if (node.Is(OpCode.FullyConnected))
        {
            long elements = x.Aggregate(1L, (a, b) => a * b);
            int k = w[1];
            if (k <= 0 || elements % k != 0) throw new InvalidOperationException($"{node}: input of {elements} values is no whole number of rows of {k}");
            return WindowInputMeans.FullyConnected((int)(elements / k), k, w[0]);
        }
        if (x.Length != 4 || y.Length != 4 || w.Length != 4)
            throw new InvalidOperationException($"{node}: expected NHWC input/output and W[Cout,KH,KW,Cin/g], got ranks {x.Length}/{y.Length}/{w.Length}");
        var strides = node.Ints(ParamKey.Strides) ?? [1, 1];
        var dilations = node.Ints(ParamKey.Dilations) ?? [1, 1];
        var pads = node.Ints(ParamKey.Pads) ?? [0, 0, 0, 0];
        return new Spatial2DGeometry(x[0], x[1], x[2], x[3], y[1], y[2], y[3], w[1], w[2],
            strides[0], strides[1], dilations[0], dilations[1], pads[0], pads[1], pads[2], pads[3], node.Int(ParamKey.Group, 1));
    }

    /// <summary>Runs the int8 model as corrected so far over every sample and accumulates the inputs of <paramref name="active"/>.</summary>
    private static void Measure(Graph work, List<Layer> active, ICalibrationSamples samples)
    {
        var model = GraphLowering.Lower(Probe(work, active));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < model.Tensors.Length; i++) index[model.Tensors[i].Name] = i;
        var byTensor = new Dictionary<int, List<(WindowInputMeans Means, int ZeroPoint)>>();
        foreach (var layer in active)
        {
            var input = layer.Int8Node.Input(0);
            if (!index.TryGetValue(input.Name, out int tensor))
                throw new InvalidOperationException($"{layer.Int8Node}: the lowered int8 model has no tensor '{input.Name}'");
            int zeroPoint = (input.Quant ?? throw new InvalidOperationException($"{layer.Int8Node}: input '{input.Name}' has no quantization")).ZeroPoint;
            if (!byTensor.TryGetValue(tensor, out var list)) byTensor[tensor] = list = [];
            list.Add((layer.Means, zeroPoint));
        }

        using var session = new Session(model) { Observer = new InputObserver(byTensor) };
        var outputs = model.Outputs.Select(t => (Memory<float>)new float[model.Tensors[t].ElementCount]).ToList();
        for (int i = 0; i < samples.Count; i++)
        {
            var feeds = samples.Load(i).Select(a => (ReadOnlyMemory<float>)a).ToList();
            try
            {
                session.Run(feeds, outputs);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"bias correction: {samples.NameOf(i)}: {ex.Message}", nameof(samples), ex);
            }
        }
    }

    /// <summary>The part of the int8 graph that computes the inputs of <paramref name="active"/>, with those inputs
    /// (dequantized) as its outputs: the layers after them cannot change what this round measures, so they are not run.</summary>
    private static Graph Probe(Graph work, List<Layer> active)
    {
        var probe = Sensitivity.GraphCopy.Of(work);
        var outputs = new List<Value>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in active)
        {
            var input = probe.Nodes[work.IndexOf(layer.Int8Node)].Input(0);
            if (!seen.Add(input.Name)) continue;
            var real = new Value(probe.UniqueName($"{input.Name}_probe"), ElementType.Float32, input.RequireShape());
            probe.AddNode(EdgeOps.Create(OpCode.Dequantize, probe.UniqueName($"{input.Name}_probe_dequantize"), [input], [real]));
            outputs.Add(real);
        }
        probe.Outputs.Clear();
        probe.Outputs.AddRange(outputs);
        var needed = new HashSet<Value>(outputs, ReferenceEqualityComparer.Instance);
        for (int i = probe.Nodes.Count - 1; i >= 0; i--)
        {
            var node = probe.Nodes[i];
            if (!node.Outputs.Any(needed.Contains))
            {
                probe.RemoveNode(node);
                continue;
            }
            foreach (var v in node.Inputs)
                if (v is not null) needed.Add(v);
        }
        return probe;
    }

    private static CorrectedLayer Apply(Graph graph, Graph work, Layer layer)
    {
        Node int8Node = layer.Int8Node, floatNode = layer.FloatNode;
        var g = layer.Means.Geometry;
        var inputQuant = int8Node.Input(0).Quant!;
        var weights = int8Node.Input(1);
        var weightQuant = weights.Quant ?? throw new InvalidOperationException($"{int8Node}: int8 weights '{weights.Name}' have no quantization");
        var floatWeights = floatNode.Input(1).Constant
            ?? throw new InvalidOperationException($"{floatNode}: weights '{floatNode.Input(1).Name}' are not constant");
        var shift = WeightRoundingShift.Compute(floatWeights.AsFloats(), weights.Constant!.AsLongs(), weightQuant, g.OutChannels,
            g.KernelHeight * g.KernelWidth, g.InChannels, g.Group, layer.Means.Means(inputQuant.Scale));

        var oldBias = floatNode.InputOrNull(2)?.Constant;
        var bias = oldBias is null ? new float[g.OutChannels] : (float[])oldBias.AsFloats().Clone();
        if (bias.Length != g.OutChannels) throw new InvalidOperationException($"{floatNode}: bias has {bias.Length} values for {g.OutChannels} output channels");
        for (int c = 0; c < bias.Length; c++) bias[c] = (float)(bias[c] - shift[c]);

        string hint = floatNode.InputOrNull(2)?.Name ?? $"{floatNode.Name}_bias";
        SetBias(floatNode, graph.NewConstant($"{hint}_corrected", TensorData.FromFloats([g.OutChannels], bias)));
        // The copy keeps running with the bias the quantizer will write from the corrected float bias.
        var (values, quant) = QuantScheme.QuantizeBias(bias, inputQuant.Scale, weightQuant);
        var int32 = work.NewConstant($"{hint}_corrected_int32", TensorData.FromLongs([g.OutChannels], values, ElementType.Int32));
        int32.Quant = quant;
        SetBias(int8Node, int32);
        return new CorrectedLayer(floatNode.Name, layer.Round, shift, oldBias is null);
    }

    private static void SetBias(Node node, Value bias)
    {
        while (node.Inputs.Count < 3) node.Inputs.Add(null);
        node.Inputs[2] = bias;
    }

    private sealed class InputObserver(Dictionary<int, List<(WindowInputMeans Means, int ZeroPoint)>> byTensor) : ITensorObserver
    {
        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (!byTensor.TryGetValue(tensorIndex, out var layers)) return;
            var x = MemoryMarshal.Cast<byte, sbyte>(data);
            foreach (var (means, zeroPoint) in layers) means.Add(x, zeroPoint);
        }
    }
}
