using System.Globalization;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>One import: reads a parsed ModelProto into a <see cref="Graph"/> (see <see cref="OnnxImporter"/>).</summary>
internal sealed class OnnxGraphReader
{
    private readonly ModelProto _model;
    private readonly GraphProto _proto;
    private readonly string _source;
    private readonly string? _directory;
    private readonly ImportOptions _options;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private Graph _graph = new();
    private int _opset;

    public OnnxGraphReader(ModelProto model, string source, string? directory, ImportOptions options)
    {
        _model = model;
        _proto = model.Graph;
        _source = source;
        _directory = directory;
        _options = options;
    }

    /// <summary>What is being read, for messages about unexpected failures.</summary>
    public string Location { get; private set; } = "the model header";

    public Graph Read()
    {
        _opset = ReadOpset();
        _graph = new Graph { Name = _proto.Name.Length > 0 ? _proto.Name : "graph", Opset = _opset };
        foreach (var n in _proto.Node)
            if (n.Name.Length > 0) _nodeNames.Add(n.Name);
        ReadInitializers();
        ReadInputs();
        var order = OnnxTopology.Order(_proto, _values.Keys);
        for (int k = 0; k < order.Length; k++)
        {
            var p = _proto.Node[order[k]];
            ImportNode(p, order[k]);
        }
        Location = "the graph outputs";
        foreach (var vi in _proto.Output)
        {
            if (!_values.TryGetValue(vi.Name, out var v))
                throw new OnnxImportException($"graph output '{vi.Name}' is never produced");
            _graph.Outputs.Add(v);
        }
        if (_graph.Outputs.Count == 0) throw new OnnxImportException("the graph has no outputs");
        return _graph;
    }

    private int ReadOpset()
    {
        long? version = null;
        foreach (var o in _model.OpsetImport)
            if (o.Domain is "" or "ai.onnx") version = o.Version;
        if (version is null)
            throw new OnnxImportException("the model declares no ai.onnx opset (opset_import)");
        if (version < OnnxImporter.MinOpset || version > OnnxImporter.MaxOpset)
            throw new OnnxImportException(string.Create(CultureInfo.InvariantCulture,
                $"ai.onnx opset {version} is not supported; EdgeCnn imports opsets {OnnxImporter.MinOpset}–{OnnxImporter.MaxOpset} (convert the model with onnx.version_converter)"));
        return (int)version.Value;
    }

    private void ReadInitializers()
    {
        foreach (var t in _proto.Initializer)
        {
            Location = $"initializer '{t.Name}'";
            if (t.Name.Length == 0) throw new OnnxImportException("an initializer has no name");
            var data = TensorProtoConverter.FromProto(t, $"initializer '{t.Name}'", _directory);
            Define(Value.FromConstant(t.Name, data));
        }
        if (_proto.SparseInitializer.Count > 0)
            throw new OnnxImportException($"sparse initializer '{_proto.SparseInitializer[0].Values?.Name}' is not supported");
    }

    private void ReadInputs()
    {
        var graphInputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vi in _proto.Input)
        {
            Location = $"graph input '{vi.Name}'";
            graphInputs.Add(vi.Name);
            if (_values.ContainsKey(vi.Name)) continue; // an initializer: a constant with a default value
            if (_options.ConstantInputs.TryGetValue(vi.Name, out var constant))
            {
                Define(Value.FromConstant(vi.Name, constant));
                continue;
            }
            var tensor = vi.Type?.TensorType
                ?? throw new OnnxImportException($"graph input '{vi.Name}' is not a tensor");
            if (tensor.ElemType != (int)ElementType.Float32)
                throw new OnnxImportException($"graph input '{vi.Name}' has type {TensorProtoConverter.DataTypeName(tensor.ElemType)}; " +
                    "EdgeCnn graph inputs are float32 at run time — bind it to a constant (ImportOptions.ConstantInputs)");
            var value = new Value(vi.Name, ElementType.Float32, BindShape(vi.Name, tensor.Shape));
            Define(value);
            _graph.Inputs.Add(value);
        }
        foreach (var name in _options.InputShapes.Keys)
            if (!graphInputs.Contains(name) || _values[name].IsConstant)
                throw new OnnxImportException($"--input-shape names '{name}', which is not a runtime graph input (inputs: {string.Join(", ", _graph.Inputs.Select(i => i.Name))})");
        foreach (var name in _options.ConstantInputs.Keys)
            if (!graphInputs.Contains(name))
                throw new OnnxImportException($"constant input '{name}' is not a graph input");
    }

    /// <summary>The declared shape with dynamic dims bound from the options (or the batch dim to 1).</summary>
    private int[] BindShape(string name, TensorShapeProto? declared)
    {
        _options.InputShapes.TryGetValue(name, out var given);
        if (given is not null)
            foreach (var g in given)
                if (g < 0) throw new OnnxImportException($"--input-shape {name}={string.Join(',', given)} has a negative dim");
        if (declared is null)
            return given ?? throw new OnnxImportException($"graph input '{name}' has no declared shape; pass --input-shape {name}=<dims>");

        var dims = declared.Dim;
        string Describe() => "[" + string.Join(',', dims.Select(d =>
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture)
            : d.DimParam.Length > 0 ? d.DimParam : "?")) + "]";
        if (given is not null)
        {
            if (given.Length != dims.Count)
                throw new OnnxImportException($"--input-shape {name}={string.Join(',', given)} has rank {given.Length}, the model declares {Describe()} (rank {dims.Count})");
            for (int i = 0; i < dims.Count; i++)
                if (dims[i].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dims[i].DimValue > 0 && dims[i].DimValue != given[i])
                    throw new OnnxImportException($"--input-shape {name}={string.Join(',', given)}: dim {i} is fixed to {dims[i].DimValue} in the model {Describe()}");
            return (int[])given.Clone();
        }

        var shape = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            var d = dims[i];
            bool known = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0;
            if (known)
            {
                if (d.DimValue > int.MaxValue) throw new OnnxImportException($"graph input '{name}' dim {i} is {d.DimValue}");
                shape[i] = (int)d.DimValue;
            }
            else if (i == 0) shape[i] = 1; // the batch dim: EdgeCnn runs one sample at a time unless told otherwise
            else
            {
                string param = d.DimParam.Length > 0 ? d.DimParam : "?";
                string example = string.Join(',', dims.Select((x, j) =>
                    j == 0 && x.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? "1"
                    : x.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? x.DimValue.ToString(CultureInfo.InvariantCulture)
                    : $"<{(x.DimParam.Length > 0 ? x.DimParam : "dim" + j)}>"));
                throw new OnnxImportException($"graph input '{name}' {Describe()} has dynamic dim {i} ('{param}'); bind it at compile time, e.g. --input-shape {name}={example}");
            }
        }
        return shape;
    }

    private void ImportNode(NodeProto p, int index)
    {
        string name = p.Name.Length > 0 ? p.Name : UniqueNodeName($"{p.OpType}_{index}");
        Location = $"node '{name}' ({p.OpType})";
        if (p.OpType.Length == 0) throw new OnnxImportException($"node '{name}' has no op_type");
        if (p.Domain is not ("" or "ai.onnx"))
            throw new UnsupportedOperatorException(p.OpType, name, _opset, $"domain '{p.Domain}' is not supported");

        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var a in p.Attribute)
            attributes[a.Name] = OnnxAttributeReader.Read(a, p.OpType, name, _opset, _directory);

        if (p.OpType == "Constant")
        {
            if (p.Output.Count != 1 || p.Output[0].Length == 0) throw new OnnxImportException($"Constant node '{name}' must have one named output");
            Define(Value.FromConstant(p.Output[0], ConstantValue(attributes, name)));
            return;
        }

        var inputs = new List<Value?>(p.Input.Count);
        foreach (var inputName in p.Input)
        {
            if (inputName.Length == 0) { inputs.Add(null); continue; }
            inputs.Add(_values.TryGetValue(inputName, out var v) ? v
                : throw new OnnxImportException($"node '{name}' ({p.OpType}) reads '{inputName}', which no node, input or initializer defines"));
        }
        int outputCount = p.Output.Count;
        while (outputCount > 0 && p.Output[outputCount - 1].Length == 0) outputCount--; // absent optional outputs
        var outputs = new List<Value>(outputCount);
        for (int i = 0; i < outputCount; i++)
        {
            string outName = p.Output[i].Length > 0 ? p.Output[i] : UniqueValueName($"{name}_unused_output{i}");
            outputs.Add(new Value(outName, ElementType.Undefined));
        }

        var node = new Node(p.OpType, name, inputs, outputs);
        foreach (var (key, value) in attributes) node.Attributes[key] = value;

        bool allConstant = node.Inputs.All(v => v is null || v.IsConstant);
        if (ConstantEvaluator.TryEvaluate(node, _opset, out var folded))
        {
            for (int i = 0; i < outputs.Count; i++)
                Define(Value.FromConstant(outputs[i].Name, folded[i]));
            return;
        }
        if (!OnnxOperatorSupport.RuntimeOps.Contains(p.OpType))
        {
            string? detail = !ConstantEvaluator.Supports(p.OpType) ? null
                : allConstant ? "its constant result is too large to fold"
                : "supported only where it computes a compile-time constant, but its inputs depend on runtime data";
            throw new UnsupportedOperatorException(p.OpType, name, _opset, detail);
        }
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            var v = node.Inputs[i];
            if (v is not null && !v.IsConstant && OnnxOperatorSupport.RequiresConstantInput(p.OpType, i, _opset))
                throw new UnsupportedOperatorException(p.OpType, name, _opset, $"input {i} ('{v.Name}') must be a compile-time constant, but it depends on runtime data");
        }
        OnnxOperatorSupport.CheckSupported(node, _opset);
        ShapeInference.Infer(node, _opset);
        _graph.AddNode(node);
        foreach (var o in outputs) Define(o);
    }

    private TensorData ConstantValue(Dictionary<string, AttributeValue> attributes, string name)
    {
        if (attributes.Count != 1)
            throw new OnnxImportException($"Constant node '{name}' must have exactly one value attribute, it has {attributes.Count}");
        var (key, a) = attributes.First();
        return key switch
        {
            "value" when a.T is not null => a.T,
            "value_float" => TensorData.Scalar(a.F),
            "value_floats" => TensorData.FromFloats([a.Floats.Length], a.Floats),
            "value_int" => TensorData.Scalar(a.I),
            "value_ints" => TensorData.FromLongs([a.Ints.Length], a.Ints),
            "sparse_value" or "value_string" or "value_strings" =>
                throw new UnsupportedOperatorException("Constant", name, _opset, $"{key} is not supported"),
            _ => throw new OnnxImportException($"Constant node '{name}' has an unknown attribute '{key}'"),
        };
    }

    private void Define(Value value)
    {
        if (!_values.TryAdd(value.Name, value))
            throw new OnnxImportException($"'{value.Name}' is defined more than once");
    }

    private string UniqueNodeName(string hint)
    {
        string name = hint;
        for (int k = 1; _nodeNames.Contains(name); k++) name = $"{hint}_{k}";
        _nodeNames.Add(name);
        return name;
    }

    private string UniqueValueName(string hint)
    {
        string name = hint;
        for (int k = 1; _values.ContainsKey(name) || _proto.Node.Any(n => n.Output.Contains(name)); k++) name = $"{hint}_{k}";
        return name;
    }
}
