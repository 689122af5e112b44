namespace EdgeCnn.Compiler.Ir;

public enum AttributeKind { Float, Int, String, Tensor, Graph, Floats, Ints, Strings }

/// <summary>A node attribute, as ONNX has them.</summary>
public sealed class AttributeValue
{
    public AttributeKind Kind { get; init; }
    public float F { get; init; }
    public long I { get; init; }
    public string S { get; init; } = "";
    public TensorData? T { get; init; }
    public Graph? G { get; init; }
    public float[] Floats { get; init; } = [];
    public long[] Ints { get; init; } = [];
    public string[] Strings { get; init; } = [];

    public static AttributeValue Of(long v) => new() { Kind = AttributeKind.Int, I = v };
    public static AttributeValue Of(float v) => new() { Kind = AttributeKind.Float, F = v };
    public static AttributeValue Of(string v) => new() { Kind = AttributeKind.String, S = v };
    public static AttributeValue Of(long[] v) => new() { Kind = AttributeKind.Ints, Ints = v };
    public static AttributeValue Of(float[] v) => new() { Kind = AttributeKind.Floats, Floats = v };
    public static AttributeValue Of(TensorData v) => new() { Kind = AttributeKind.Tensor, T = v };

    public override string ToString() => Kind switch
    {
        AttributeKind.Float => F.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttributeKind.Int => I.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttributeKind.String => S,
        AttributeKind.Ints => "[" + string.Join(',', Ints) + "]",
        AttributeKind.Floats => "[" + string.Join(',', Floats) + "]",
        _ => Kind.ToString(),
    };
}
