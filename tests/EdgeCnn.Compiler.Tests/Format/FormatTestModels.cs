using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>Hand-built models for the file-format tests. Only <see cref="CompiledModel"/>'s own rules
/// apply (the ops are never run), but the shapes and params are those a real network would have.</summary>
internal static class FormatTestModels
{
    /// <summary>A small NHWC classifier with two inputs and two outputs: conv → depthwise conv →
    /// global pool → reshape → fully connected → softmax, plus an add of a second input. About 4 KB.</summary>
    public static CompiledModel SmallNetwork()
    {
        var b = new Builder();
        int image = b.Input("image", 1, 8, 8, 3);
        int extra = b.Input("extra", 1, 10);
        int w1 = b.Constant("conv1.w", [8, 3, 3, 3]);
        int b1 = b.Constant("conv1.b", [8]);
        int a1 = b.Activation("conv1", 1, 8, 8, 8);
        b.Op(OpCode.Conv2D, "conv1", [image, w1, b1], [a1], new OpParams()
            .Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Strides, 1, 1).Set(ParamKey.Dilations, 1, 1)
            .Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.Group, 1).Set(ParamKey.Activation, (int)ActivationKind.Relu));
        int w2 = b.Constant("dw.w", [8, 3, 3, 1]);
        int a2 = b.Activation("dw", 1, 4, 4, 8);
        b.Op(OpCode.Conv2D, "dw", [a1, w2, -1], [a2], new OpParams()
            .Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Strides, 2, 2).Set(ParamKey.Dilations, 1, 1)
            .Set(ParamKey.Pads, 0, 0, 1, 1).Set(ParamKey.Group, 8).Set(ParamKey.Activation, (int)ActivationKind.Clip)
            .Set(ParamKey.Alpha, 0f).Set(ParamKey.Beta, 6f));
        int pooled = b.Activation("pool", 1, 1, 1, 8);
        b.Op(OpCode.GlobalAveragePool, "pool", [a2], [pooled], new OpParams());
        int flat = b.Activation("flat", 1, 8);
        b.Op(OpCode.Reshape, "flat", [pooled], [flat], new OpParams());
        int fcw = b.Constant("fc.w", [10, 8]);
        int fcb = b.Constant("fc.b", [10]);
        int logits = b.Activation("logits", 1, 10);
        b.Op(OpCode.FullyConnected, "fc", [flat, fcw, fcb], [logits], new OpParams());
        int probs = b.Activation("probs", 1, 10);
        b.Op(OpCode.Softmax, "softmax", [logits], [probs], new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Log, 0));
        int sum = b.Activation("sum", 1, 10);
        b.Op(OpCode.Binary, "add", [probs, extra], [sum], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add));
        return b.Build([probs, sum]);
    }

    /// <summary>An int8 classifier as the quantizer builds one: float input → Quantize → conv (per-channel int8
    /// weights, int32 bias, fused Relu) → max pool → depthwise conv (per-tensor weights, no bias) → global
    /// pool → reshape → fully connected → softmax (float out), plus a Dequantize of the pooled map as a second
    /// output. Weights are small random integers, biases small, so the model also runs.</summary>
    public static CompiledModel QuantizedNetwork()
    {
        var rng = new Random(31);
        var b = new Builder();
        int image = b.Input("image", 1, 8, 8, 3);
        var xq = QuantParams.PerTensor(0.02f, -3);
        int q = b.Activation("image_q", DataType.Int8, xq, 1, 8, 8, 3);
        b.Op(OpCode.Quantize, "quantize", [image], [q], new OpParams());

        var w1Scales = Enumerable.Range(0, 8).Select(c => 0.004f + 0.001f * c).ToArray();
        int w1 = b.Constant("conv1.w", [8, 3, 3, 3], DataType.Int8, new QuantParams(w1Scales, new int[8], axis: 0), RandomBytes(rng, 8 * 27, -127, 128));
        int b1 = b.Constant("conv1.b", [8], DataType.Int32, new QuantParams(w1Scales.Select(s => s * xq.Scale).ToArray(), new int[8], axis: 0), RandomInts(rng, 8, -2000, 2000));
        var a1q = QuantParams.PerTensor(0.05f, -128);
        int a1 = b.Activation("conv1", DataType.Int8, a1q, 1, 8, 8, 8);
        b.Op(OpCode.Conv2D, "conv1", [q, w1, b1], [a1], new OpParams()
            .Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.Group, 1).Set(ParamKey.Activation, (int)ActivationKind.Relu));
        int pool = b.Activation("pool", DataType.Int8, a1q, 1, 4, 4, 8);
        b.Op(OpCode.MaxPool2D, "pool", [a1], [pool], new OpParams().Set(ParamKey.Kernel, 2, 2).Set(ParamKey.Strides, 2, 2));

        int w2 = b.Constant("dw.w", [8, 3, 3, 1], DataType.Int8, QuantParams.PerTensor(0.01f, 0), RandomBytes(rng, 72, -127, 128));
        var a2q = QuantParams.PerTensor(0.03f, 5);
        int a2 = b.Activation("dw", DataType.Int8, a2q, 1, 4, 4, 8);
        b.Op(OpCode.Conv2D, "dw", [pool, w2, -1], [a2], new OpParams()
            .Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.Group, 8));
        int gap = b.Activation("gap", DataType.Int8, a2q, 1, 1, 1, 8);
        b.Op(OpCode.GlobalAveragePool, "gap", [a2], [gap], new OpParams());
        int flat = b.Activation("flat", DataType.Int8, a2q, 1, 8);
        b.Op(OpCode.Reshape, "flat", [gap], [flat], new OpParams());

        var fcScales = Enumerable.Range(0, 10).Select(c => 0.02f - 0.001f * c).ToArray();
        int fcw = b.Constant("fc.w", [10, 8], DataType.Int8, new QuantParams(fcScales, new int[10], axis: 0), RandomBytes(rng, 80, -127, 128));
        int fcb = b.Constant("fc.b", [10], DataType.Int32, new QuantParams(fcScales.Select(s => s * a2q.Scale).ToArray(), new int[10], axis: 0), RandomInts(rng, 10, -500, 500));
        int logits = b.Activation("logits", DataType.Int8, QuantParams.PerTensor(0.1f, 0), 1, 10);
        b.Op(OpCode.FullyConnected, "fc", [flat, fcw, fcb], [logits], new OpParams());
        int probs = b.Activation("probs", 1, 10);
        b.Op(OpCode.Softmax, "softmax", [logits], [probs], new OpParams().Set(ParamKey.Axis, 1));
        int pooled = b.Activation("pooled", 1, 4, 4, 8);
        b.Op(OpCode.Dequantize, "dequantize", [pool], [pooled], new OpParams());
        return b.Build([probs, pooled]);
    }

    private static byte[] RandomBytes(Random rng, int count, int low, int high) =>
        Enumerable.Range(0, count).Select(_ => (byte)(sbyte)rng.Next(low, high)).ToArray();

    private static byte[] RandomInts(Random rng, int count, int low, int high) =>
        MemoryMarshal.AsBytes(Enumerable.Range(0, count).Select(_ => rng.Next(low, high)).ToArray().AsSpan()).ToArray();

    /// <summary>One op carrying every parameter key (with awkward values: empty lists, extremes, NaN,
    /// infinities, negative zero), constants of every data type and odd byte sizes (the Int8 and Int32 ones
    /// quantized per channel with extreme scales and zero points), and several inputs and outputs.</summary>
    public static CompiledModel EveryParamKind()
    {
        var b = new Builder();
        int x = b.Input("x", 2, 3);
        int y = b.Input("y", 3);
        int z = b.Input("z", 0, 5);
        int c1 = b.Constant("c.float", [3], DataType.Float32);
        int c2 = b.Constant("c.int8", [7], DataType.Int8, new QuantParams([float.Epsilon, 1f, float.MaxValue, 0.5f, 1e-30f, 3f, 7f], [-128, 127, 0, -1, 1, 5, -7], axis: 0));
        int c3 = b.Constant("c.uint8", [1, 1, 5], DataType.UInt8);
        int c4 = b.Constant("c.int32", [2, 2], DataType.Int32, new QuantParams([0.25f, 2e-9f], [int.MinValue, int.MaxValue], axis: 1));
        int c5 = b.Constant("c.int64", [3], DataType.Int64);
        int c6 = b.Constant("c.scalar", [], DataType.Float32);
        int c7 = b.Constant("c.empty", [4, 0], DataType.Float32);
        int o1 = b.Activation("o1", 2, 3);
        int o2 = b.Activation("o2", 1, 2, 3, 4, 5, 6, 7, 8);
        int o3 = b.Activation("ünïcode ✓ name");

        var p = new OpParams();
        foreach (var key in Enum.GetValues<ParamKey>())
        {
            if (key.IsFloat())
                p.Set(key, key == ParamKey.Epsilon
                    ? Array.Empty<float>()
                    : new[] { float.NaN, float.NegativeInfinity, float.PositiveInfinity, -0f, float.Epsilon, (float)key });
            else
                p.Set(key, key == ParamKey.Sizes ? Array.Empty<int>() : new[] { int.MinValue, -1, 0, (int)key, int.MaxValue });
        }
        b.Op(OpCode.Gather, "everything", [x, -1, y, c1, c2, c3, c4, c5, c6, c7, z], [o1, o2, o3], p);
        return b.Build([o3, o1, c2, o2]);
    }

    /// <summary>Assembles tensors, ops and a weight blob with constants at 16-byte aligned offsets,
    /// filled with recognisable bytes.</summary>
    private sealed class Builder
    {
        private readonly List<TensorInfo> _tensors = [];
        private readonly List<OpDesc> _ops = [];
        private readonly List<int> _inputs = [];
        private readonly List<byte> _weights = [];

        public int Input(string name, params int[] shape)
        {
            _inputs.Add(_tensors.Count);
            return Add(new TensorInfo(name, DataType.Float32, shape, TensorKind.Input));
        }

        public int Activation(string name, params int[] shape) =>
            Add(new TensorInfo(name, DataType.Float32, shape, TensorKind.Activation));

        public int Activation(string name, DataType type, QuantParams quant, params int[] shape) =>
            Add(new TensorInfo(name, type, shape, TensorKind.Activation) { Quant = quant });

        /// <summary>A constant with the given bytes.</summary>
        public int Constant(string name, int[] shape, DataType type, QuantParams? quant, byte[] bytes)
        {
            while (_weights.Count % 16 != 0) _weights.Add(0xEE);
            var info = new TensorInfo(name, type, shape, TensorKind.Constant) { ConstantOffset = _weights.Count, Quant = quant };
            if (bytes.Length != info.ByteLength) throw new ArgumentException($"{name}: {bytes.Length} bytes for {info.ByteLength}");
            _weights.AddRange(bytes);
            return Add(info);
        }

        public int Constant(string name, int[] shape, DataType type = DataType.Float32, QuantParams? quant = null)
        {
            while (_weights.Count % 16 != 0) _weights.Add(0xEE);
            var info = new TensorInfo(name, type, shape, TensorKind.Constant) { ConstantOffset = _weights.Count, Quant = quant };
            if (type == DataType.Float32)
            {
                var values = new float[info.ElementCount];
                for (int i = 0; i < values.Length; i++) values[i] = MathF.Sin(_tensors.Count * 31 + i) * 0.5f;
                _weights.AddRange(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            }
            else
            {
                for (long i = 0; i < info.ByteLength; i++) _weights.Add((byte)(_tensors.Count * 17 + i * 7));
            }
            return Add(info);
        }

        public void Op(OpCode code, string name, int[] inputs, int[] outputs, OpParams parameters) =>
            _ops.Add(new OpDesc(code, name, inputs, outputs, parameters));

        public CompiledModel Build(int[] outputs) =>
            new(_tensors.ToArray(), _ops.ToArray(), _inputs.ToArray(), outputs, _weights.ToArray());

        private int Add(TensorInfo info)
        {
            _tensors.Add(info);
            return _tensors.Count - 1;
        }
    }
}
