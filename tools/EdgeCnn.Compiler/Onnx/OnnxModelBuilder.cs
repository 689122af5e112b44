using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Builds ONNX models in code (tests, the CLI's demo model, the model zoo). The result is a real
/// ONNX file that ONNX Runtime and the importer both read.
/// </summary>
/// <example><code>
/// var b = new OnnxModelBuilder(opset: 13);
/// b.AddInput("x", [1, 3, 8, 8]);
/// b.AddInitializer("w", [4, 3, 3, 3], weights);
/// b.AddNode("Conv", ["x", "w"], ["y"]).Attr("pads", [1L, 1, 1, 1]);
/// b.AddOutput("y");
/// File.WriteAllBytes("m.onnx", b.ToBytes());
/// </code></example>
public sealed class OnnxModelBuilder
{
    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private int _anonymousNodes;

    public OnnxModelBuilder(int opset = 13, string graphName = "graph")
    {
        Opset = opset;
        _graph = new GraphProto { Name = graphName };
        _model = new ModelProto { ProducerName = "EdgeCnn", ProducerVersion = "1", Graph = _graph };
    }

    /// <summary>The ai.onnx opset version written into the model.</summary>
    public int Opset { get; }

    /// <summary>The IR version written into the model; by default the one that introduced <see cref="Opset"/>.</summary>
    public long IrVersion { get; set; } = -1;

    /// <summary>Declares an extra operator set (e.g. a custom domain).</summary>
    public OnnxModelBuilder AddOpset(string domain, int version)
    {
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    /// <summary>Adds a graph input. A negative dimension is written as a named dynamic dim
    /// (<paramref name="dimNames"/>[i] if given, else "d{i}").</summary>
    public OnnxModelBuilder AddInput(string name, int[] shape, ElementType type = ElementType.Float32, string[]? dimNames = null)
    {
        _graph.Input.Add(ValueInfo(name, shape, type, dimNames));
        return this;
    }

    /// <summary>Adds a graph output; a null shape writes no shape (the importer infers it).</summary>
    public OnnxModelBuilder AddOutput(string name, int[]? shape = null, ElementType type = ElementType.Float32)
    {
        _graph.Output.Add(ValueInfo(name, shape, type, null));
        return this;
    }

    public OnnxModelBuilder AddInitializer(string name, TensorData data)
    {
        _graph.Initializer.Add(TensorProtoConverter.ToProto(data, name));
        return this;
    }

    public OnnxModelBuilder AddInitializer(string name, int[] shape, float[] data) =>
        AddInitializer(name, TensorData.FromFloats(shape, data));

    public OnnxModelBuilder AddInitializer(string name, int[] shape, long[] data) =>
        AddInitializer(name, TensorData.FromLongs(shape, data));

    /// <summary>Adds a <c>Constant</c> node producing <paramref name="output"/> (how paddle2onnx stores weights).</summary>
    public NodeBuilder AddConstant(string output, TensorData data) =>
        AddNode("Constant", [], [output]).Attr("value", data);

    /// <summary>Adds a node (nodes must be added in topological order). An empty input name is an
    /// absent optional input, as in ONNX. Without a name the node is called "{opType}_{k}".</summary>
    public NodeBuilder AddNode(string opType, string[] inputs, string[] outputs, string? name = null, string domain = "")
    {
        var node = new NodeProto
        {
            OpType = opType,
            Name = name ?? $"{opType}_{_anonymousNodes++}",
            Domain = domain,
        };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        _graph.Node.Add(node);
        return new NodeBuilder(node);
    }

    public byte[] ToBytes()
    {
        var model = _model.Clone();
        model.IrVersion = IrVersion >= 0 ? IrVersion : IrVersionFor(Opset);
        model.OpsetImport.Insert(0, new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    /// <summary>The IR version released together with an opset (what onnx.helper writes).</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private static ValueInfoProto ValueInfo(string name, int[]? shape, ElementType type, string[]? dimNames)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            for (int i = 0; i < shape.Length; i++)
            {
                var dim = new TensorShapeProto.Types.Dimension();
                if (shape[i] >= 0) dim.DimValue = shape[i];
                else dim.DimParam = dimNames is not null && i < dimNames.Length ? dimNames[i] : $"d{i}";
                tensor.Shape.Dim.Add(dim);
            }
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    /// <summary>Adds attributes to a node just added.</summary>
    public sealed class NodeBuilder
    {
        private readonly NodeProto _node;

        internal NodeBuilder(NodeProto node) => _node = node;

        public string Name => _node.Name;

        public NodeBuilder Attr(string name, long value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

        public NodeBuilder Attr(string name, float value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

        public NodeBuilder Attr(string name, string value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

        public NodeBuilder Attr(string name, long[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            a.Ints.Add(values);
            return Add(a);
        }

        public NodeBuilder Attr(string name, float[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
            a.Floats.Add(values);
            return Add(a);
        }

        public NodeBuilder Attr(string name, string[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
            foreach (var v in values) a.Strings.Add(ByteString.CopyFromUtf8(v));
            return Add(a);
        }

        public NodeBuilder Attr(string name, TensorData value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = TensorProtoConverter.ToProto(value, "") });

        /// <summary>Adds an IR attribute as is (graph attributes are not supported by the builder).</summary>
        public NodeBuilder Attr(string name, AttributeValue value) => value.Kind switch
        {
            AttributeKind.Int => Attr(name, value.I),
            AttributeKind.Float => Attr(name, value.F),
            AttributeKind.String => Attr(name, value.S),
            AttributeKind.Ints => Attr(name, value.Ints),
            AttributeKind.Floats => Attr(name, value.Floats),
            AttributeKind.Strings => Attr(name, value.Strings),
            AttributeKind.Tensor when value.T is not null => Attr(name, value.T),
            _ => throw new ArgumentException($"attribute '{name}': {value.Kind} attributes cannot be written by {nameof(OnnxModelBuilder)}"),
        };

        private NodeBuilder Add(AttributeProto attribute)
        {
            for (int i = 0; i < _node.Attribute.Count; i++)
                if (_node.Attribute[i].Name == attribute.Name) { _node.Attribute[i] = attribute; return this; }
            _node.Attribute.Add(attribute);
            return this;
        }
    }
}
