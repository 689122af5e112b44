using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>The int8 tests' vocabulary over <see cref="TestModelBuilder"/>: typed, quantized tensors, typed
/// constants, and ops named "op" unless named.</summary>
internal sealed class QuantizedModelBuilder
{
    private readonly TestModelBuilder _model = new();

    public int Input(string name, DataType type, int[] shape, QuantParams? quant = null) => _model.AddInput(name, type, shape, quant);

    public int Activation(string name, DataType type, int[] shape, QuantParams? quant = null) =>
        _model.AddActivation(name, type, shape, quant);

    public int Constant(string name, DataType type, int[] shape, QuantParams? quant, byte[] bytes) =>
        _model.AddConstant(name, shape, type, bytes, quant);

    public int Int8Constant(string name, int[] shape, QuantParams quant, sbyte[] values) =>
        Constant(name, DataType.Int8, shape, quant, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public int Int32Constant(string name, int[] shape, QuantParams? quant, int[] values) =>
        Constant(name, DataType.Int32, shape, quant, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public int FloatConstant(string name, int[] shape, float[] values) =>
        Constant(name, DataType.Float32, shape, null, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public QuantizedModelBuilder Op(OpCode code, int[] inputs, int[] outputs, OpParams? parameters = null, string? name = null)
    {
        _model.AddOp(code, inputs, outputs, parameters, name ?? "op");
        return this;
    }

    public QuantizedModelBuilder Output(int tensor)
    {
        _model.MarkOutput(tensor);
        return this;
    }

    public CompiledModel Build() => _model.Build();
}
