namespace EdgeCnn.Compiler.Ir;

/// <summary>
/// A constant tensor in the IR. Floating-point types are held as float (float64 is narrowed: the
/// runtime computes in float32), integer and bool types as long, so folding of shape arithmetic is exact.
/// </summary>
public sealed class TensorData
{
    private TensorData(ElementType type, int[] shape, float[]? floats, long[]? longs)
    {
        Type = type;
        Shape = shape;
        Floats = floats;
        Longs = longs;
    }

    public ElementType Type { get; }
    public int[] Shape { get; }
    /// <summary>Set when <see cref="Type"/> is floating point.</summary>
    public float[]? Floats { get; }
    /// <summary>Set when <see cref="Type"/> is an integer or bool type.</summary>
    public long[]? Longs { get; }

    public long Count => Floats?.LongLength ?? Longs!.LongLength;
    public int Rank => Shape.Length;

    public static TensorData FromFloats(int[] shape, float[] data, ElementType type = ElementType.Float32)
    {
        if (!type.IsFloatingPoint()) throw new ArgumentException($"{type} is not a floating-point type");
        CheckCount(shape, data.LongLength);
        return new TensorData(type, shape, data, null);
    }

    public static TensorData FromLongs(int[] shape, long[] data, ElementType type = ElementType.Int64)
    {
        if (!type.IsInteger()) throw new ArgumentException($"{type} is not an integer type");
        CheckCount(shape, data.LongLength);
        return new TensorData(type, shape, null, data);
    }

    public static TensorData Scalar(float value) => FromFloats([], [value]);
    public static TensorData Scalar(long value) => FromLongs([], [value]);

    /// <summary>The values as float32, converting integers.</summary>
    public float[] AsFloats() => Floats ?? Array.ConvertAll(Longs!, v => (float)v);

    /// <summary>The values as long, truncating floats toward zero.</summary>
    public long[] AsLongs() => Longs ?? Array.ConvertAll(Floats!, v => (long)v);

    public int[] AsInts() => Array.ConvertAll(AsLongs(), v => checked((int)v));

    public TensorData WithShape(int[] shape) =>
        Floats is not null ? FromFloats(shape, Floats, Type) : FromLongs(shape, Longs!, Type);

    private static void CheckCount(int[] shape, long count)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("negative dimension");
            n *= d;
        }
        if (n != count) throw new ArgumentException($"shape [{string.Join(',', shape)}] needs {n} elements, data has {count}");
    }

    public override string ToString() => $"{Type.OnnxName()}[{string.Join(',', Shape)}]";
}
