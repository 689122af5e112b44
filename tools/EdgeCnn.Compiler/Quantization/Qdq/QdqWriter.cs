using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.Qdq;

/// <summary>
/// One export. Every IR value has an ONNX float view (for int8 values, the DequantizeLinear of their int8 tensor)
/// and a layout: the permutation σ with ONNX tensor = Transpose(IR tensor, σ). Spatial ops want NCHW (σ = NHWC→NCHW),
/// reshapes and graph outputs want the IR order; a Transpose is emitted only where a reader needs another layout
/// than the value has, so the IR's boundary transposes (NCHW input → NHWC) vanish instead of being written.
/// </summary>
internal sealed partial class QdqWriter
{
    private readonly Graph _graph;
    private readonly OnnxModelBuilder _builder;
    private readonly Dictionary<Value, string> _floatView = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, int[]> _layout = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(Value, string), string> _relayouts = new();
    private readonly Dictionary<(string, string), string> _constants = new();
    private readonly Dictionary<(float, int), (string Scale, string ZeroPoint)> _activationParams = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<Value> _outputs = new(ReferenceEqualityComparer.Instance);
    private int _counter;

    public QdqWriter(Graph graph, int opset)
    {
        _graph = graph;
        _builder = new OnnxModelBuilder(opset, graph.Name);
        foreach (var v in graph.AllValues()) _names.Add(v.Name);
        foreach (var o in graph.Outputs) _outputs.Add(o);
    }

    public OnnxModelBuilder Write()
    {
        foreach (var input in _graph.Inputs)
        {
            if (input.Type != ElementType.Float32)
                throw new OnnxImportException($"QDQ export: graph input '{input.Name}' is {input.Type.OnnxName()}; only float32 inputs are written");
            _builder.AddInput(input.Name, input.RequireShape());
            _floatView[input] = input.Name;
            _layout[input] = Permutation.Identity(input.Rank);
        }
        foreach (var node in _graph.Nodes) WriteNode(node);
        foreach (var output in _graph.Outputs)
        {
            if (output.Type != ElementType.Float32)
                throw new OnnxImportException($"QDQ export: graph output '{output.Name}' is {output.Type.OnnxName()}; only float32 outputs are written");
            string view = Read(output, Permutation.Identity(output.Rank));
            _builder.AddNode("Identity", [view], [output.Name], Fresh($"{output.Name}_output"));
            _builder.AddOutput(output.Name, output.RequireShape());
        }
        return _builder;
    }

    /// <summary>A name no IR value and no earlier generated tensor or node has.</summary>
    private string Fresh(string hint)
    {
        string name;
        do name = $"{hint}__{_counter++}";
        while (!_names.Add(name));
        return name;
    }

    private int[] LayoutOf(Value v) => _layout.TryGetValue(v, out var layout) ? layout : Permutation.Identity(v.Rank);

    /// <summary>The float ONNX tensor holding <paramref name="v"/> in layout <paramref name="layout"/>.</summary>
    private string Read(Value v, int[] layout)
    {
        if (v.Constant is { } data) return ConstantView(v, data, layout);
        if (!_floatView.TryGetValue(v, out var view))
            throw new OnnxImportException($"QDQ export: value '{v.Name}' is read before any node writes it");
        var current = _layout[v];
        if (current.SequenceEqual(layout)) return view;
        var key = (v, string.Join(',', layout));
        if (_relayouts.TryGetValue(key, out var existing)) return existing;
        // Transpose(Transpose(ir, current), t) = Transpose(ir, layout) for t[i] = current⁻¹[layout[i]].
        var perm = Permutation.Apply(layout, Permutation.Inverse(current));
        string output = Fresh($"{v.Name}_relayout");
        _builder.AddNode("Transpose", [view], [output], Fresh($"{v.Name}_transpose")).Attr("perm", Longs(perm));
        _relayouts[key] = output;
        return output;
    }

    /// <summary>Reads <paramref name="v"/> in its own layout.</summary>
    private string Read(Value v, out int[] layout)
    {
        layout = LayoutOf(v);
        return Read(v, layout);
    }

    /// <summary>A constant as an initializer in <paramref name="layout"/>; integer constants with quantization
    /// (int8 weights, int32 biases, int8 operands) stay integers behind a DequantizeLinear.</summary>
    private string ConstantView(Value v, TensorData data, int[] layout)
    {
        var key = (v.Name, string.Join(',', layout));
        if (_constants.TryGetValue(key, out var existing)) return existing;
        if (layout.Length != data.Rank)
            throw new OnnxImportException($"QDQ export: constant '{v.Name}' of rank {data.Rank} read with a rank-{layout.Length} layout");
        var stored = Permutation.IsIdentity(layout) ? data : Permutation.Transpose(data, layout);
        string initializer = Fresh(v.Name);
        string view;
        if (v.Quant is { } quant && data.Type is ElementType.Int8 or ElementType.Int32)
        {
            _builder.AddInitializer(initializer, stored);
            view = Dequantize(initializer, quant, data.Type, layout, v.Name);
        }
        else if (data.Type == ElementType.Float32)
        {
            _builder.AddInitializer(initializer, stored);
            view = initializer;
        }
        else
        {
            throw new OnnxImportException($"QDQ export: constant '{v.Name}' is {data.Type.OnnxName()} without quantization; no float view exists");
        }
        _constants[key] = view;
        return view;
    }

    /// <summary>DequantizeLinear of an integer tensor; a per-channel axis moves with the layout.</summary>
    private string Dequantize(string integer, QuantParams quant, ElementType type, int[] layout, string hint)
    {
        string output = Fresh($"{hint}_dq");
        string scale = Fresh($"{hint}_scale");
        string zeroPoint = Fresh($"{hint}_zero_point");
        if (quant.IsPerTensor)
        {
            _builder.AddInitializer(scale, TensorData.FromFloats([], [quant.Scale]));
            _builder.AddInitializer(zeroPoint, TensorData.FromLongs([], [quant.ZeroPoint], type));
            _builder.AddNode("DequantizeLinear", [integer, scale, zeroPoint], [output], Fresh($"{hint}_dequantize"));
            return output;
        }
        int channels = quant.Scales.Length;
        _builder.AddInitializer(scale, TensorData.FromFloats([channels], quant.Scales));
        _builder.AddInitializer(zeroPoint, TensorData.FromLongs([channels], Array.ConvertAll(quant.ZeroPoints, z => (long)z), type));
        int axis = Permutation.Inverse(layout)[quant.Axis];
        _builder.AddNode("DequantizeLinear", [integer, scale, zeroPoint], [output], Fresh($"{hint}_dequantize")).Attr("axis", (long)axis);
        return output;
    }

    /// <summary>Shared scale and zero point initializers of a per-tensor int8 activation quantization.</summary>
    private (string Scale, string ZeroPoint) ActivationParams(QuantParams quant, string owner)
    {
        if (!quant.IsPerTensor)
            throw new OnnxImportException($"QDQ export: activation '{owner}' is quantized per channel; activations are per tensor");
        var key = (quant.Scale, quant.ZeroPoint);
        if (_activationParams.TryGetValue(key, out var names)) return names;
        names = (Fresh("act_scale"), Fresh("act_zero_point"));
        _builder.AddInitializer(names.Scale, TensorData.FromFloats([], [quant.Scale]));
        _builder.AddInitializer(names.ZeroPoint, TensorData.FromLongs([], [quant.ZeroPoint], ElementType.Int8));
        _activationParams[key] = names;
        return names;
    }

    /// <summary>Records the float tensor <paramref name="raw"/> an op computed for <paramref name="v"/>. An int8 value
    /// gets its QuantizeLinear (the int8 tensor, under the IR name) and DequantizeLinear (its float view).</summary>
    private void Produce(Value v, string raw, int[] layout)
    {
        _layout[v] = layout;
        if (v.Type == ElementType.Float32)
        {
            _floatView[v] = raw;
            return;
        }
        if (v.Type != ElementType.Int8 || v.Quant is not { } quant)
            throw new OnnxImportException($"QDQ export: value '{v.Name}' is {v.Type.OnnxName()}; only float32 and quantized int8 activations are written");
        var (scale, zeroPoint) = ActivationParams(quant, v.Name);
        string integer = _outputs.Contains(v) ? Fresh(v.Name) : v.Name;
        _builder.AddNode("QuantizeLinear", [raw, scale, zeroPoint], [integer], Fresh($"{v.Name}_quantize"));
        string view = Fresh($"{v.Name}_dq");
        _builder.AddNode("DequantizeLinear", [integer, scale, zeroPoint], [view], Fresh($"{v.Name}_dequantize"));
        _floatView[v] = view;
    }

    /// <summary>The name an op writes <paramref name="v"/>'s float result under: a float value keeps its IR name
    /// (graph outputs excepted: their name goes to the final Identity); an int8 value's name goes to its
    /// QuantizeLinear.</summary>
    private string RawName(Value v) =>
        v.Type == ElementType.Float32 && !_outputs.Contains(v) ? v.Name : Fresh($"{v.Name}_float");

    private string Initializer(string hint, TensorData data)
    {
        string name = Fresh(hint);
        _builder.AddInitializer(name, data);
        return name;
    }

    private static long[] Longs(int[] values) => Array.ConvertAll(values, v => (long)v);
}
