using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// Applies a <see cref="QuantizationPlan"/> to the graph: int8 nodes get int8 inputs (converted constants, or
/// a Quantize of a float value), Int8 outputs with their params and, for tables, the LUT; float readers of int8
/// values get a Dequantize. Each float value is quantized (per target quantization) and each int8 value
/// dequantized at most once, right after the node that writes it. Graph outputs stay float32 under their names.
/// </summary>
internal sealed class QuantizationRewriter
{
    private readonly Graph _graph;
    private readonly QuantizationPlan _plan;
    private readonly bool _perTensorWeights;
    private readonly Dictionary<(Value, float, int), Value> _quantized = new();
    private readonly Dictionary<Value, Value> _dequantized = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, Value> _int8Weights = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, string> _floatNames = new(ReferenceEqualityComparer.Instance);
    private readonly List<(Value Value, Node Node)> _quantizeOutputs = [];

    public QuantizationRewriter(Graph graph, QuantizationPlan plan, bool perTensorWeights)
    {
        _graph = graph;
        _plan = plan;
        _perTensorWeights = perTensorWeights;
    }

    public QuantizationResult Apply()
    {
        foreach (var v in _plan.ValueQuant.Keys) _floatNames[v] = v.Name;
        var nodes = _graph.Nodes.ToList();
        // The int8 values keep their names, so the float model's tensor of the same name is their reference;
        // only graph outputs hand their name over to the Dequantize that keeps them float.
        for (int i = 0; i < _graph.Outputs.Count; i++)
            if (_plan.IsInt8(_graph.Outputs[i])) _graph.Outputs[i] = DequantizedOutput(_graph.Outputs[i]);
        foreach (var node in nodes)
        {
            if (_plan.Int8Nodes.TryGetValue(node, out var role)) RewriteInt8(node, role);
            else DequantizeInputs(node);
        }
        _graph.Validate();
        return new QuantizationResult(_graph, _plan.Decisions, CollectTensors(), _quantized.Count, _dequantized.Count);
    }

    private void RewriteInt8(Node node, Int8Role role)
    {
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            var v = node.Inputs[i];
            if (v is null) continue;
            if (role == Int8Role.Weighted && i == 1) node.Inputs[i] = Int8Weights(node, v);
            else if (role == Int8Role.Weighted && i == 2) node.Inputs[i] = Int32Bias(node, v);
            else if (_plan.IsInt8(v)) continue;
            else
            {
                var target = _plan.InputQuant.TryGetValue((node, i), out var q) ? q : null;
                if (v.Constant is { } c)
                    node.Inputs[i] = Int8Constant(v, c, target ?? throw new InvalidOperationException($"{node}: no quantization planned for constant input '{v.Name}'"));
                else
                    node.Inputs[i] = Quantized(v, target ?? _plan.RangeQuant(v));
            }
        }
        if (role == Int8Role.Softmax) return;
        foreach (var o in node.Outputs)
        {
            o.Type = ElementType.Int8;
            o.Quant = _plan.ValueQuant[o];
        }
        if (role == Int8Role.Table) node.Inputs.Add(Table(node));
    }

    private void DequantizeInputs(Node node)
    {
        for (int i = 0; i < node.Inputs.Count; i++)
            if (node.Inputs[i] is { } v && _plan.IsInt8(v)) node.Inputs[i] = Dequantized(v, null);
    }

    private Value DequantizedOutput(Value v)
    {
        string name = v.Name;
        v.Name = _graph.UniqueName($"{name}_int8");
        return Dequantized(v, name);
    }

    private Value Dequantized(Value v, string? name)
    {
        if (_dequantized.TryGetValue(v, out var existing)) return existing;
        var f = new Value(name ?? _graph.UniqueName($"{v.Name}_dq"), ElementType.Float32, v.RequireShape());
        var node = EdgeOps.Create(OpCode.Dequantize, _graph.UniqueName($"{_floatNames[v]}_dequantize"), [v], [f]);
        InsertAfterProducer(v, node);
        _dequantized[v] = f;
        return f;
    }

    private Value Quantized(Value v, QuantParams quant)
    {
        var key = (v, quant.Scale, quant.ZeroPoint);
        if (_quantized.TryGetValue(key, out var existing)) return existing;
        var q = new Value(_graph.UniqueName($"{v.Name}_q"), ElementType.Int8, v.RequireShape()) { Quant = quant };
        var node = EdgeOps.Create(OpCode.Quantize, _graph.UniqueName($"{v.Name}_quantize"), [v], [q]);
        InsertAfterProducer(v, node);
        _quantized[key] = q;
        _floatNames[q] = v.Name;
        _quantizeOutputs.Add((q, node));
        return q;
    }

    private void InsertAfterProducer(Value v, Node node)
    {
        if (v.Producer is { } producer && _graph.Nodes.Contains(producer)) _graph.InsertAfter(producer, node);
        else _graph.InsertNode(0, node);
    }

    private Value Int8Weights(Node node, Value w)
    {
        var data = w.Constant ?? throw new InvalidOperationException($"weights '{w.Name}' are not constant");
        // The int8 ConvTranspose2D reads its weights output-channel-major, so per-channel scales run along axis 0.
        if (node.Is(OpCode.ConvTranspose2D)) data = TransposedConvWeights.OutputMajor(node, data);
        var floors = BiasScaleFloors(node);
        if (floors is not null)
        {
            var plain = QuantScheme.QuantizeWeights(data.AsFloats(), data.Shape, perChannel: !_perTensorWeights);
            var floored = QuantScheme.QuantizeWeights(data.AsFloats(), data.Shape, perChannel: !_perTensorWeights, floors);
            // A raised scale depends on this node's bias and input scale, so those weights are not shared.
            if (!SameScales(plain.Quant, floored.Quant))
            {
                var own = _graph.NewConstant($"{w.Name}_int8", TensorData.FromLongs(data.Shape, floored.Values, ElementType.Int8));
                own.Quant = floored.Quant;
                return own;
            }
        }
        if (_int8Weights.TryGetValue(w, out var existing)) return existing;
        var (values, quant) = QuantScheme.QuantizeWeights(data.AsFloats(), data.Shape, perChannel: !_perTensorWeights);
        var q = _graph.NewConstant($"{w.Name}_int8", TensorData.FromLongs(data.Shape, values, ElementType.Int8));
        q.Quant = quant;
        _int8Weights[w] = q;
        return q;
    }

    private static bool SameScales(QuantParams a, QuantParams b) =>
        a.IsPerTensor == b.IsPerTensor && (a.IsPerTensor ? a.Scale == b.Scale : a.Scales.SequenceEqual(b.Scales));

    private static double[]? BiasScaleFloors(Node node)
    {
        if (node.Inputs.Count < 3 || node.Inputs[2] is not { Constant: { } bias }) return null;
        if (node.Input(0).Quant is not { } inputQuant) return null;
        return QuantScheme.BiasScaleFloors(bias.AsFloats(), inputQuant.Scale);
    }

    private Value Int32Bias(Node node, Value b)
    {
        var data = b.Constant ?? throw new InvalidOperationException($"{node}: bias '{b.Name}' is not constant");
        var input = node.Input(0);
        var inputQuant = input.Quant ?? throw new InvalidOperationException($"{node}: input '{input.Name}' has no quantization yet");
        var weights = node.Input(1).Quant!;
        var (values, quant) = QuantScheme.QuantizeBias(data.AsFloats(), inputQuant.Scale, weights);
        var q = _graph.NewConstant($"{b.Name}_int32", TensorData.FromLongs(data.Shape, values, ElementType.Int32));
        q.Quant = quant;
        return q;
    }

    private Value Int8Constant(Value v, TensorData data, QuantParams quant)
    {
        var q = _graph.NewConstant($"{v.Name}_int8", TensorData.FromLongs(data.Shape, QuantScheme.QuantizeTensor(data.AsFloats(), quant), ElementType.Int8));
        q.Quant = quant;
        return q;
    }

    /// <summary>The LUT of a Unary: its entries are output codes, so it carries the output's quantization.</summary>
    private Value Table(Node node)
    {
        var inputQuant = node.Input(0).Quant!;
        var outputQuant = node.Outputs[0].Quant!;
        var kind = node.Activation();
        var lut = ActivationLut.Build(kind, NullableFloat(node, ParamKey.Alpha), NullableFloat(node, ParamKey.Beta), inputQuant, outputQuant);
        var table = _graph.NewConstant($"{node.Name}_lut", TensorData.FromLongs([ActivationLut.Length], lut, ElementType.Int8));
        table.Quant = outputQuant;
        return table;
    }

    private static float? NullableFloat(Node node, ParamKey key) => node.Floats(key) is { Length: 1 } v ? v[0] : null;

    private List<QuantizedTensor> CollectTensors()
    {
        var list = new List<QuantizedTensor>();
        foreach (var node in _graph.Nodes)
            foreach (var o in node.Outputs)
                if (o.Type == ElementType.Int8 && o.Quant is { } quant && _floatNames.TryGetValue(o, out var floatName))
                    list.Add(new QuantizedTensor(o.Name, floatName, node.Name, node.OpType, quant));
        return list;
    }
}
