namespace EdgeCnn.Compiler.Ir;

/// <summary>
/// A tensor flowing through the graph: a graph input, a node output or a constant (initializer or
/// folded). Shapes are static once the importer has bound the inputs and inferred shapes.
/// </summary>
public sealed class Value
{
    public Value(string name, ElementType type, int[]? shape = null)
    {
        Name = name;
        Type = type;
        Shape = shape;
    }

    public string Name { get; set; }
    public ElementType Type { get; set; }
    /// <summary>Static shape; null only before shape inference has reached this value.</summary>
    public int[]? Shape { get; set; }
    /// <summary>Set for constants; their <see cref="Shape"/> equals the data's shape.</summary>
    public TensorData? Constant { get; private set; }
    /// <summary>The node that computes this value (null for graph inputs and constants).</summary>
    public Node? Producer { get; internal set; }

    public bool IsConstant => Constant is not null;

    /// <summary>Set by the quantizer on Int8/Int32 values (activations, weights, biases): how the integers
    /// map to reals. Lowering copies it onto the runtime tensor.</summary>
    public EdgeCnn.Runtime.Model.QuantParams? Quant { get; set; }

    public int Rank => Shape?.Length ?? throw new InvalidOperationException($"value '{Name}' has no shape yet");

    public int[] RequireShape() => Shape ?? throw new InvalidOperationException($"value '{Name}' has no shape yet");

    public static Value FromConstant(string name, TensorData data)
    {
        var v = new Value(name, data.Type, data.Shape);
        v.Constant = data;
        return v;
    }

    /// <summary>Turns this value into a constant (constant folding); the producer link is cut by the graph.</summary>
    public void SetConstant(TensorData data)
    {
        Constant = data;
        Type = data.Type;
        Shape = data.Shape;
    }

    public override string ToString() => $"{Name}: {Type.OnnxName()}[{(Shape is null ? "?" : string.Join(',', Shape))}]";
}
