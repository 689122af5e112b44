using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Support;

/// <summary>Builds small <see cref="CompiledModel"/>s by hand: tensors and ops in runtime form, constants zero-filled
/// at 16-byte aligned offsets. The analyzer only looks at shapes and params, so the values do not matter.</summary>
internal sealed class ModelSketch
{
    private readonly List<TensorInfo> _tensors = new();
    private readonly List<OpDesc> _ops = new();
    private readonly List<int> _inputs = new();
    private long _weightBytes;

    public int Input(params int[] shape)
    {
        _inputs.Add(_tensors.Count);
        return Add(new TensorInfo($"in{_tensors.Count}", DataType.Float32, shape, TensorKind.Input));
    }

    public int Constant(params int[] shape)
    {
        var t = new TensorInfo($"c{_tensors.Count}", DataType.Float32, shape, TensorKind.Constant) { ConstantOffset = _weightBytes };
        _weightBytes += (t.ByteLength + 15) / 16 * 16;
        return Add(t);
    }

    /// <summary>An int8 constant quantized per channel along axis 0 (scale 1, zero point 0), as the quantizer stores weights.</summary>
    public int Int8Constant(params int[] shape)
    {
        var quant = new QuantParams(Enumerable.Repeat(1f, shape[0]).ToArray(), new int[shape[0]], axis: 0);
        var t = new TensorInfo($"c{_tensors.Count}", DataType.Int8, shape, TensorKind.Constant) { ConstantOffset = _weightBytes, Quant = quant };
        _weightBytes += (t.ByteLength + 15) / 16 * 16;
        return Add(t);
    }

    public int Op(OpCode code, int[] inputs, int[] outputShape, OpParams? parameters = null)
    {
        int output = Add(new TensorInfo($"t{_tensors.Count}", DataType.Float32, outputShape, TensorKind.Activation));
        _ops.Add(new OpDesc(code, $"op{_ops.Count}", inputs, [output], parameters ?? new OpParams()));
        return output;
    }

    public CompiledModel Build(params int[] outputs) =>
        new(_tensors.ToArray(), _ops.ToArray(), _inputs.ToArray(), outputs, new byte[_weightBytes]);

    private int Add(TensorInfo t)
    {
        _tensors.Add(t);
        return _tensors.Count - 1;
    }

    public static OpParams Window(int k, int s = 1, int d = 1, int pad = 0, int group = 1) => new OpParams()
        .Set(ParamKey.Kernel, k, k)
        .Set(ParamKey.Strides, s, s)
        .Set(ParamKey.Dilations, d, d)
        .Set(ParamKey.Pads, pad, pad, pad, pad)
        .Set(ParamKey.Group, group);
}
