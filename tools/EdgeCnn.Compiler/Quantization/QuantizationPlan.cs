using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The decisions of the quantizer before the graph is touched: which nodes run int8 and the quantization of
/// every int8 value. Nodes are decided in topological order:
/// <list type="bullet">
/// <item>Conv2D and FullyConnected run int8 whenever they can (ranges known, constant weights): they start int8
/// regions; their float input is quantized.</item>
/// <item>Every other quantizable op joins a region: it runs int8 when one of its inputs is already int8, so a
/// lone Binary or pool between float ops does not get wrapped in Quantize/Dequantize for nothing.</item>
/// <item>Scale-preserving ops (pools, data movement) give their outputs their input's quantization; Concat with
/// differing input quantizations takes its calibrated range and moves inputs written only for it (a conv's
/// output, a Quantize) onto its own scale, so only the rest are requantized.</item>
/// </list>
/// </summary>
internal sealed class QuantizationPlan
{
    private readonly IReadOnlyDictionary<string, TensorRange> _ranges;
    private readonly HashSet<string> _keepFloat;
    private readonly HashSet<string>? _int8Only;
    private readonly HashSet<Node> _inputPrologue;
    private readonly Dictionary<Value, List<Node>> _uses;
    private readonly Graph _graph;

    private QuantizationPlan(Graph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options)
    {
        _graph = graph;
        _ranges = ranges;
        _keepFloat = new HashSet<string>(options.KeepFloat, StringComparer.Ordinal);
        _int8Only = options.Int8Only is { } only ? new HashSet<string>(only, StringComparer.Ordinal) : null;
        _uses = GraphRewrite.Uses(graph);
        // With --int8-input the in-graph normalization after an input starts the int8 region (InputPrologue).
        _inputPrologue = options.Int8Input ? InputPrologue.Find(graph) : new HashSet<Node>(ReferenceEqualityComparer.Instance);
    }

    /// <summary>The role of every node that runs int8.</summary>
    public Dictionary<Node, Int8Role> Int8Nodes { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The quantization of every value an int8 node writes (Softmax's float output excepted).</summary>
    public Dictionary<Value, QuantParams> ValueQuant { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The quantization an int8 node wants for an input that is not int8 yet (a float value to
    /// quantize, or a constant operand); inputs without an entry take the value's own calibrated range.</summary>
    public Dictionary<(Node Node, int Input), QuantParams> InputQuant { get; } = new();

    public List<NodeDecision> Decisions { get; } = [];

    public bool IsInt8(Value v) => ValueQuant.ContainsKey(v);

    public static QuantizationPlan Build(Graph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options)
    {
        var plan = new QuantizationPlan(graph, ranges, options);
        var names = new HashSet<string>(graph.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        foreach (var kept in options.KeepFloat)
            if (!names.Contains(kept))
                throw new ArgumentException($"keep-float: the graph has no node named '{kept}' (the quantization report lists the node names)");
        foreach (var only in options.Int8Only ?? [])
            if (!names.Contains(only))
                throw new ArgumentException($"int8-only: the graph has no node named '{only}'");
        foreach (var node in graph.Nodes) plan.Decide(node);
        return plan;
    }

    /// <summary>The quantization a float value gets when it is quantized, from its calibrated range.</summary>
    public QuantParams RangeQuant(Value v) => QuantScheme.ForActivation(_ranges[v.Name]);

    private void Decide(Node node)
    {
        var role = Int8Ops.RoleOf(node, out string reason);
        string? missing = null;
        if (_keepFloat.Contains(node.Name)) reason = "kept float (--keep-float)";
        else if (role != Int8Role.None && _int8Only is not null && !_int8Only.Contains(node.Name)) reason = "not among the nodes quantized alone";
        else if (role != Int8Role.None)
        {
            reason = WhyFloat(node, role) ?? "";
            if (reason.Length == 0 && MissingRange(node, role) is { } tensor)
            {
                missing = tensor;
                reason = $"no calibration range for '{tensor}'";
            }
        }
        if (reason.Length > 0)
        {
            Decisions.Add(new NodeDecision(node.Name, node.OpType, role, false, reason, missing));
            return;
        }
        Int8Nodes[node] = role;
        AssignOutputs(node, role);
        Decisions.Add(new NodeDecision(node.Name, node.OpType, role, true, ""));
    }

    /// <summary>Why a node with an int8 variant must still run float, or null when it can run int8.</summary>
    private string? WhyFloat(Node node, Int8Role role)
    {
        var data = node.Inputs.Select((v, i) => (v, i)).Where(p => p.v is not null && Int8Ops.IsDataInput(role, p.i)).ToList();
        var computed = data.Where(p => !p.v!.IsConstant).Select(p => p.v!).ToList();
        if (computed.Count == 0) return "it reads only constants";
        if (role == Int8Role.Weighted)
        {
            if (node.InputOrNull(2) is { IsConstant: false } bias) return $"its bias '{bias.Name}' is not constant";
        }
        else if (!computed.Any(IsInt8) && _int8Only is null && !_inputPrologue.Contains(node))
        {
            return "none of its inputs is int8 (it does not start an int8 region)";
        }
        if (role == Int8Role.ScalePreserving && (data.Count != 1 || data[0].i != 0 || !IsInt8(data[0].v!)))
            return "its data input is float";
        return null;
    }

    /// <summary>A tensor the node needs a calibrated range for but has none (asked only of nodes that could run
    /// int8 otherwise, so ranges a float region never uses are not required).</summary>
    private string? MissingRange(Node node, Int8Role role)
    {
        if (role == Int8Role.ScalePreserving) return null;
        foreach (var (v, i) in node.Inputs.Select((v, i) => (v, i)))
            if (v is { IsConstant: false } && Int8Ops.IsDataInput(role, i) && !IsInt8(v) && !_ranges.ContainsKey(v.Name)) return v.Name;
        if (role is Int8Role.Weighted or Int8Role.Elementwise or Int8Role.Table)
            foreach (var o in node.Outputs)
                if (!_ranges.ContainsKey(o.Name)) return o.Name;
        return null;
    }

    private void AssignOutputs(Node node, Int8Role role)
    {
        switch (role)
        {
            case Int8Role.Weighted:
            case Int8Role.Elementwise:
            case Int8Role.Table:
                var output = node.Outputs[0];
                ValueQuant[output] = RangeQuant(output);
                if (role == Int8Role.Elementwise) PlanConstantOperands(node);
                break;
            case Int8Role.ScalePreserving:
                var quant = ValueQuant[node.Input(0)];
                foreach (var o in node.Outputs) ValueQuant[o] = quant;
                break;
            case Int8Role.Concat:
                PlanConcat(node);
                break;
            case Int8Role.Softmax:
                break;
        }
    }

    /// <summary>A Binary's constant operand is quantized per tensor from its own values.</summary>
    private void PlanConstantOperands(Node node)
    {
        for (int i = 0; i < node.Inputs.Count; i++)
            if (node.Inputs[i]?.Constant is { } c)
                InputQuant[(node, i)] = QuantScheme.ForActivation(QuantScheme.RangeOf(c.AsFloats()));
    }

    private void PlanConcat(Node node)
    {
        var output = node.Outputs[0];
        var inputs = node.Inputs.Select((v, i) => (v: v!, i)).Where(p => p.v is not null).ToList();
        var quants = inputs.Where(p => IsInt8(p.v)).Select(p => ValueQuant[p.v]).ToList();
        bool allInt8 = inputs.All(p => IsInt8(p.v));
        if (allInt8 && quants.All(q => SameQuant(q, quants[0])))
        {
            // Every input already speaks the same scale: concatenation is a copy.
            ValueQuant[output] = quants[0];
            return;
        }

        var target = _ranges.TryGetValue(output.Name, out var range) ? QuantScheme.ForActivation(range) : UnionQuant(inputs.Select(p => p.v));
        ValueQuant[output] = target;
        foreach (var (v, i) in inputs)
        {
            if (!IsInt8(v))
            {
                // A float or constant input is quantized straight onto the output's scale.
                InputQuant[(node, i)] = target;
                continue;
            }
            if (!SameQuant(ValueQuant[v], target) && IsWrittenOnlyFor(v, node)) ValueQuant[v] = target;
        }
    }

    /// <summary>Whether <paramref name="v"/> is read by <paramref name="reader"/> alone and its producer
    /// requantizes its output anyway, so choosing the reader's scale for it costs nothing.</summary>
    private bool IsWrittenOnlyFor(Value v, Node reader)
    {
        if (_graph.IsGraphOutput(v) || v.Producer is not { } producer) return false;
        if (!Int8Nodes.TryGetValue(producer, out var role) || role is Int8Role.ScalePreserving or Int8Role.Softmax) return false;
        var readers = GraphRewrite.Readers(_uses, v);
        return readers.Count == 1 && ReferenceEquals(readers[0], reader);
    }

    /// <summary>Params covering every input's representable range (a concat output nobody calibrated).</summary>
    private QuantParams UnionQuant(IEnumerable<Value> inputs)
    {
        float min = 0, max = 0;
        foreach (var v in inputs)
        {
            var r = v.Constant is { } c ? QuantScheme.RangeOf(c.AsFloats())
                : IsInt8(v) ? QuantScheme.RepresentableRange(ValueQuant[v])
                : _ranges[v.Name];
            min = Math.Min(min, r.Min);
            max = Math.Max(max, r.Max);
        }
        return QuantScheme.ForActivation(new TensorRange(min, max));
    }

    public static bool SameQuant(QuantParams a, QuantParams b) =>
        ReferenceEquals(a, b) || (a.IsPerTensor && b.IsPerTensor && a.Scale == b.Scale && a.ZeroPoint == b.ZeroPoint);
}
