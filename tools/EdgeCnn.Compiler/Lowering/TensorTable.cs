using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Lowering;

/// <summary>
/// The runtime tensor table built while lowering: one entry per IR value, constants packed into the
/// weight blob at 16-byte aligned offsets as float32 (integer constants of a float model only survive as op
/// params), except the quantizer's constants, which carry <see cref="Value.Quant"/> and keep their int8/int32
/// type. Int8 activations likewise carry their quantization onto the runtime tensor.
/// </summary>
internal sealed class TensorTable
{
    private const int Alignment = 16;
    private readonly List<TensorInfo> _tensors = [];
    private readonly Dictionary<Value, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly MemoryStream _weights = new();

    public TensorInfo[] Tensors => _tensors.ToArray();

    public byte[] Weights()
    {
        Pad();
        return _weights.ToArray();
    }

    public bool TryGet(Value v, out int index) => _index.TryGetValue(v, out index);

    public int AddInput(Value v)
    {
        // An input the quantizer made Int8 (--int8-input) takes codes in its quantization.
        if (v.Type == ElementType.Int8 && v.Quant is not null)
            return Add(v, new TensorInfo(UniqueName(v.Name), DataType.Int8, ShapeOf(v), TensorKind.Input) { Quant = v.Quant });
        if (!v.Type.IsFloatingPoint())
            throw new OnnxImportException($"graph input '{v.Name}' is {v.Type.OnnxName()}; the runtime takes float32 inputs (bind it as a constant if it is one)");
        return Add(v, new TensorInfo(UniqueName(v.Name), DataType.Float32, ShapeOf(v), TensorKind.Input));
    }

    /// <summary>The tensor a node reads: an already produced value, or a constant (added on first use).</summary>
    public int Read(Value v, Node reader)
    {
        if (_index.TryGetValue(v, out int i)) return i;
        if (v.Constant is not null) return AddConstant(v);
        throw new InvalidOperationException($"{reader} reads '{v.Name}' before anything produces it");
    }

    public int AddConstant(Value v)
    {
        if (_index.TryGetValue(v, out int existing)) return existing;
        var data = v.Constant!;
        if (v.Quant is not null) return AddQuantizedConstant(v, data);
        var floats = data.AsFloats();
        Pad();
        long offset = _weights.Position;
        _weights.Write(MemoryMarshal.AsBytes(floats.AsSpan()));
        var info = new TensorInfo(UniqueName(v.Name), DataType.Float32, data.Shape, TensorKind.Constant) { ConstantOffset = offset };
        return Add(v, info);
    }

    /// <summary>A constant the quantizer wrote (int8 weights, tables and operands, int32 biases): stored in its
    /// own type with its quantization. Every other constant keeps the float32 path above.</summary>
    private int AddQuantizedConstant(Value v, TensorData data)
    {
        var longs = data.Longs ?? throw new InvalidOperationException($"quantized constant '{v.Name}' holds floats");
        DataType type;
        byte[] bytes;
        switch (data.Type)
        {
            case ElementType.Int8:
                type = DataType.Int8;
                bytes = new byte[longs.Length];
                for (int i = 0; i < longs.Length; i++)
                {
                    if (longs[i] is < sbyte.MinValue or > sbyte.MaxValue)
                        throw new InvalidOperationException($"int8 constant '{v.Name}' holds {longs[i]} at {i}");
                    bytes[i] = unchecked((byte)(sbyte)longs[i]);
                }
                break;
            case ElementType.Int32:
                type = DataType.Int32;
                var ints = new int[longs.Length];
                for (int i = 0; i < longs.Length; i++)
                {
                    if (longs[i] is < int.MinValue or > int.MaxValue)
                        throw new InvalidOperationException($"int32 constant '{v.Name}' holds {longs[i]} at {i}");
                    ints[i] = (int)longs[i];
                }
                bytes = MemoryMarshal.AsBytes(ints.AsSpan()).ToArray();
                break;
            default:
                throw new InvalidOperationException($"quantized constant '{v.Name}' is {data.Type.OnnxName()}; only int8 and int32 are stored quantized");
        }
        Pad();
        long offset = _weights.Position;
        _weights.Write(bytes);
        var info = new TensorInfo(UniqueName(v.Name), type, data.Shape, TensorKind.Constant) { ConstantOffset = offset, Quant = v.Quant };
        return Add(v, info);
    }

    public int Produce(Value v, Node producer, int opset)
    {
        if (_index.ContainsKey(v)) throw new InvalidOperationException($"{producer} writes '{v.Name}', which is already produced");
        if (v.Type == ElementType.Int8 && v.Quant is not null)
            return Add(v, new TensorInfo(UniqueName(v.Name), DataType.Int8, ShapeOf(v), TensorKind.Activation) { Quant = v.Quant });
        if (!v.Type.IsFloatingPoint())
            throw new UnsupportedOperatorException(producer.OpType, producer.Name, opset,
                $"it computes '{v.Name}' as {v.Type.OnnxName()} at run time; the runtime computes float32 only");
        return Add(v, new TensorInfo(UniqueName(v.Name), DataType.Float32, ShapeOf(v), TensorKind.Activation));
    }

    /// <summary>A fresh activation tensor that no IR value stands for (copies inserted by lowering).</summary>
    public int AddActivation(string hint, int[] shape)
    {
        _tensors.Add(new TensorInfo(UniqueName(hint), DataType.Float32, shape, TensorKind.Activation));
        return _tensors.Count - 1;
    }

    private int Add(Value v, TensorInfo info)
    {
        _tensors.Add(info);
        _index[v] = _tensors.Count - 1;
        return _tensors.Count - 1;
    }

    private static int[] ShapeOf(Value v)
    {
        var shape = v.Shape ?? throw new OnnxImportException($"tensor '{v.Name}' has no static shape (bind dynamic input dims with --input-shape)");
        foreach (var d in shape)
            if (d < 0) throw new OnnxImportException($"tensor '{v.Name}' has a dynamic or negative dimension {GraphShape(shape)}");
        return shape;
    }

    private static string GraphShape(int[] shape) => "[" + string.Join(',', shape) + "]";

    private string UniqueName(string name)
    {
        if (_names.Add(name)) return name;
        for (int k = 1; ; k++)
            if (_names.Add($"{name}_{k}")) return $"{name}_{k}";
    }

    private void Pad()
    {
        while (_weights.Length % Alignment != 0) _weights.WriteByte(0);
        _weights.Position = _weights.Length;
    }
}
