using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>Builds small models with typed, quantized tensors by hand; constants are packed into one weight blob
/// at 16-byte aligned offsets as the model file does.</summary>
internal sealed class QuantizedModelBuilder
{
    private readonly List<TensorInfo> _tensors = [];
    private readonly List<OpDesc> _ops = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];
    private readonly List<byte> _weights = [];

    public int Input(string name, DataType type, int[] shape, QuantParams? quant = null)
    {
        _inputs.Add(_tensors.Count);
        return Add(new TensorInfo(name, type, shape, TensorKind.Input) { Quant = quant });
    }

    public int Activation(string name, DataType type, int[] shape, QuantParams? quant = null) =>
        Add(new TensorInfo(name, type, shape, TensorKind.Activation) { Quant = quant });

    public int Constant(string name, DataType type, int[] shape, QuantParams? quant, byte[] bytes)
    {
        while (_weights.Count % 16 != 0) _weights.Add(0);
        var info = new TensorInfo(name, type, shape, TensorKind.Constant) { ConstantOffset = _weights.Count, Quant = quant };
        if (bytes.Length != info.ByteLength) throw new ArgumentException($"{name}: {bytes.Length} bytes for a {info.ByteLength}-byte tensor");
        _weights.AddRange(bytes);
        return Add(info);
    }

    public int Int8Constant(string name, int[] shape, QuantParams quant, sbyte[] values) =>
        Constant(name, DataType.Int8, shape, quant, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public int Int32Constant(string name, int[] shape, QuantParams? quant, int[] values) =>
        Constant(name, DataType.Int32, shape, quant, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public int FloatConstant(string name, int[] shape, float[] values) =>
        Constant(name, DataType.Float32, shape, null, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public QuantizedModelBuilder Op(OpCode code, int[] inputs, int[] outputs, OpParams? parameters = null, string? name = null)
    {
        _ops.Add(new OpDesc(code, name ?? "op", inputs, outputs, parameters ?? new OpParams()));
        return this;
    }

    public QuantizedModelBuilder Output(int tensor)
    {
        _outputs.Add(tensor);
        return this;
    }

    public CompiledModel Build()
    {
        while (_weights.Count % 16 != 0) _weights.Add(0);
        return new CompiledModel(_tensors.ToArray(), _ops.ToArray(), _inputs.ToArray(), _outputs.ToArray(), _weights.ToArray());
    }

    private int Add(TensorInfo info)
    {
        _tensors.Add(info);
        return _tensors.Count - 1;
    }
}
