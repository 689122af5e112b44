using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Lowering;

/// <summary>
/// The runtime tensor table built while lowering: one entry per IR value, constants packed into the
/// weight blob at 16-byte aligned offsets as float32 (the runtime computes in float32; integer constants
/// only survive as op params).
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
        var floats = data.AsFloats();
        Pad();
        long offset = _weights.Position;
        _weights.Write(MemoryMarshal.AsBytes(floats.AsSpan()));
        var info = new TensorInfo(UniqueName(v.Name), DataType.Float32, data.Shape, TensorKind.Constant) { ConstantOffset = offset };
        return Add(v, info);
    }

    public int Produce(Value v, Node producer, int opset)
    {
        if (_index.ContainsKey(v)) throw new InvalidOperationException($"{producer} writes '{v.Name}', which is already produced");
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
