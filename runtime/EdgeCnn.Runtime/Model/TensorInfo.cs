namespace EdgeCnn.Runtime.Model;

/// <summary>What kind of storage a tensor has at run time.</summary>
public enum TensorKind : byte
{
    /// <summary>Computed by an op; lives in the arena.</summary>
    Activation = 0,
    /// <summary>A graph input; the caller's data is copied into the arena.</summary>
    Input = 1,
    /// <summary>Weights or other constant data stored in the model's weight blob.</summary>
    Constant = 2,
}

/// <summary>
/// A tensor of the model: static shape (every dimension known at compile time), element type, and
/// where its data lives. Shapes of 4-D activations are in the layout the ops that touch them expect
/// (NHWC for spatial ops); the compiler is responsible for layout, the runtime just follows shapes.
/// </summary>
public sealed class TensorInfo
{
    public TensorInfo(string name, DataType type, int[] shape, TensorKind kind)
    {
        Name = name;
        Type = type;
        Shape = shape;
        Kind = kind;
        ElementCount = ComputeElementCount(shape);
    }

    public string Name { get; }
    public DataType Type { get; }
    public int[] Shape { get; }
    public TensorKind Kind { get; }
    public long ElementCount { get; }
    public long ByteLength => ElementCount * Type.SizeInBytes();
    public int Rank => Shape.Length;

    /// <summary>Offset of the data in the weight blob (constants only), 16-byte aligned.</summary>
    public long ConstantOffset { get; init; }

    /// <summary>Quantization of an Int8/Int32 tensor (see <see cref="QuantParams"/>); null for float tensors.</summary>
    public QuantParams? Quant { get; init; }

    public static long ComputeElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("negative dimension in shape");
            n = checked(n * d);
        }
        return n;
    }

    public override string ToString() => $"{Name} {Type} [{string.Join(',', Shape)}]";
}
