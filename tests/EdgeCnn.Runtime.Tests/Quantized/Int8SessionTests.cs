using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>An int8 network as the quantizer builds one (float in, Quantize, int8 ops, float out) through a real
/// <see cref="Session"/>: it runs without allocating and gives the same bytes on every run.</summary>
public sealed class Int8SessionTests
{
    [Fact]
    public void Running_an_int8_model_allocates_nothing_and_repeats_exactly()
    {
        var session = new Session(BuildNetwork(new Random(21)));
        var rng = new Random(5);
        var input = Enumerable.Range(0, 16 * 16 * 8).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var probabilities = new float[10];
        var features = new float[8 * 8 * 16];
        IReadOnlyList<ReadOnlyMemory<float>> inputs = [input];
        IReadOnlyList<Memory<float>> outputs = [probabilities, features];

        for (int i = 0; i < 3; i++) session.Run(inputs, outputs);
        var first = probabilities.Concat(features).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(inputs, outputs);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(first, probabilities.Concat(features).ToArray());
        Assert.Equal(1.0, probabilities.Sum(), 5);
        Assert.True(features.Distinct().Count() > 20, "the int8 features barely vary");
    }

    /// <summary>Quantize → conv 3x3 (Relu) → max pool → depthwise conv → Add (residual, other quantization) →
    /// lookup table → average pool → Concat (with a requantized branch) → channel shuffle → global pool →
    /// reshape → fully connected → softmax (float); plus the dequantized residual sum as a second output.</summary>
    private static CompiledModel BuildNetwork(Random rng)
    {
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Float32, [1, 16, 16, 8]);
        var qIn = QuantParams.PerTensor(4f / 255, -1);
        int xq = b.Activation("x_q", DataType.Int8, [1, 16, 16, 8], qIn);
        b.Op(OpCode.Quantize, [x], [xq], null, "quantize");

        var qConv = QuantParams.PerTensor(0.04f, -128);
        int conv = Conv(b, rng, "conv", xq, qIn, [1, 16, 16, 8], 16, 1, qConv, ActivationKind.Relu);
        int pool = b.Activation("pool", DataType.Int8, [1, 8, 8, 16], qConv);
        b.Op(OpCode.MaxPool2D, [conv], [pool], new OpParams().Set(ParamKey.Kernel, 2, 2).Set(ParamKey.Strides, 2, 2), "pool");
        var qDw = QuantParams.PerTensor(0.05f, 3);
        int dw = Conv(b, rng, "dw", pool, qConv, [1, 8, 8, 16], 16, 16, qDw, ActivationKind.None);
        var qSum = QuantParams.PerTensor(0.07f, -20);
        int sum = b.Activation("sum", DataType.Int8, [1, 8, 8, 16], qSum);
        b.Op(OpCode.Binary, [dw, pool], [sum], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add), "residual");
        var qLut = QuantParams.PerTensor(0.03f, -100);
        int table = b.Int8Constant("lut.table", [256], qLut, RandomInt8(rng, 256));
        int lut = b.Activation("lut", DataType.Int8, [1, 8, 8, 16], qLut);
        b.Op(OpCode.Unary, [sum, table], [lut], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.HardSwish), "hardswish");
        int avg = b.Activation("avg", DataType.Int8, [1, 8, 8, 16], qLut);
        b.Op(OpCode.AveragePool2D, [lut], [avg], new OpParams().Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Pads, 1, 1, 1, 1), "avg");
        int cat = b.Activation("cat", DataType.Int8, [1, 8, 8, 32], qLut);
        b.Op(OpCode.Concat, [avg, sum], [cat], new OpParams().Set(ParamKey.Axis, 3), "concat");
        int shuffled = b.Activation("shuffled", DataType.Int8, [1, 8, 8, 32], qLut);
        b.Op(OpCode.ChannelShuffle, [cat], [shuffled], new OpParams().Set(ParamKey.Group, 2), "shuffle");
        int gap = b.Activation("gap", DataType.Int8, [1, 1, 1, 32], qLut);
        b.Op(OpCode.GlobalAveragePool, [shuffled], [gap], null, "gap");
        int flat = b.Activation("flat", DataType.Int8, [1, 32], qLut);
        b.Op(OpCode.Reshape, [gap], [flat], null, "flatten");

        var fcScales = Enumerable.Range(0, 10).Select(_ => 0.01f + 0.01f * (float)rng.NextDouble()).ToArray();
        int fcw = b.Int8Constant("fc.w", [10, 32], new QuantParams(fcScales, new int[10], axis: 0), RandomInt8(rng, 320, -127, 127));
        int fcb = b.Int32Constant("fc.b", [10], new QuantParams(fcScales.Select(s => s * qLut.Scale).ToArray(), new int[10], axis: 0), RandomInt32(rng, 10, 500));
        int logits = b.Activation("logits", DataType.Int8, [1, 10], QuantParams.PerTensor(0.1f, 0));
        b.Op(OpCode.FullyConnected, [flat, fcw, fcb], [logits], null, "fc");
        int probabilities = b.Activation("probabilities", DataType.Float32, [1, 10]);
        b.Op(OpCode.Softmax, [logits], [probabilities], new OpParams().Set(ParamKey.Axis, 1), "softmax");
        int features = b.Activation("features", DataType.Float32, [1, 8, 8, 16]);
        b.Op(OpCode.Dequantize, [sum], [features], null, "features");
        return b.Output(probabilities).Output(features).Build();
    }

    private static int Conv(QuantizedModelBuilder b, Random rng, string name, int input, QuantParams qx, int[] inShape, int cout, int group,
        QuantParams qy, ActivationKind act)
    {
        int cin = inShape[3];
        var scales = Enumerable.Range(0, cout).Select(_ => 0.005f + 0.01f * (float)rng.NextDouble()).ToArray();
        int w = b.Int8Constant(name + ".w", [cout, 3, 3, cin / group], new QuantParams(scales, new int[cout], axis: 0), RandomInt8(rng, cout * 9 * cin / group, -127, 127));
        int bias = b.Int32Constant(name + ".b", [cout], new QuantParams(scales.Select(s => s * qx.Scale).ToArray(), new int[cout], axis: 0), RandomInt32(rng, cout, 2000));
        int y = b.Activation(name, DataType.Int8, [1, inShape[1], inShape[2], cout], qy);
        b.Op(OpCode.Conv2D, [input, w, bias], [y], new OpParams().Set(ParamKey.Pads, 1, 1, 1, 1).Set(ParamKey.Group, group).Set(ParamKey.Activation, (int)act), name);
        return y;
    }
}
