using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>Bad quantization params are refused with a <see cref="ModelFormatException"/> that names the tensor:
/// by the model's validation (structure) or when a session prepares the int8 op (what the op needs).</summary>
public sealed class QuantValidationTests
{
    private static readonly QuantParams Act = QuantParams.PerTensor(0.05f, -3);

    [Fact]
    public void Int8_tensor_without_quantization()
    {
        var e = Assert.Throws<ModelFormatException>(() => Single(new TensorInfo("x8", DataType.Int8, [2], TensorKind.Input)));
        Assert.Equal("tensor 'x8' is Int8 but has no quantization parameters", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.PositiveInfinity)]
    public void Scale_that_is_not_finite_and_positive(float scale)
    {
        var e = Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3], new QuantParams([0.1f, scale, 0.2f], [0, 0, 0], axis: 0))));
        Assert.Equal($"tensor 'w': quantization scale 1 is {scale}; scales must be finite and positive", e.Message);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(-129)]
    public void Int8_zero_point_outside_the_range(int zeroPoint)
    {
        var e = Assert.Throws<ModelFormatException>(() => Single(Int8("x", [4], QuantParams.PerTensor(1f, zeroPoint))));
        Assert.Equal($"tensor 'x': zero point 0 is {zeroPoint}, outside the Int8 range -128..127", e.Message);
    }

    [Fact]
    public void Per_channel_axis_and_scale_count_must_fit_the_shape()
    {
        Assert.Equal("tensor 'w': quantization axis 2 is outside its rank 2 (-1 = per tensor)",
            Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3, 4], new QuantParams([1f, 1f, 1f], [0, 0, 0], axis: 2)))).Message);
        Assert.Equal("tensor 'w': quantization axis -2 is outside its rank 2 (-1 = per tensor)",
            Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3, 4], new QuantParams([1f], [0], axis: -2)))).Message);
        Assert.Equal("tensor 'w': per-channel quantization along axis 1 has 3 scales, the axis has 4 channels",
            Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3, 4], new QuantParams([1f, 1f, 1f], [0, 0, 0], axis: 1)))).Message);
        Assert.Equal("tensor 'w': per-tensor quantization (axis -1) has 2 scales, needs 1",
            Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3, 4], new QuantParams([1f, 1f], [0, 0])))).Message);
        Assert.Equal("tensor 'w': quantization has 3 scales but 2 zero points",
            Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3, 4], new QuantParams([1f, 1f, 1f], [0, 0], axis: 0)))).Message);
        Assert.Equal("tensor 'w': quantization parameters have no scales or zero points",
            Assert.Throws<ModelFormatException>(() => Single(Int8("w", [3, 4], new QuantParams([], [], axis: 0)))).Message);
    }

    [Fact]
    public void Only_int8_and_int32_tensors_are_quantized()
    {
        var e = Assert.Throws<ModelFormatException>(() => Single(new TensorInfo("f", DataType.Float32, [2], TensorKind.Input) { Quant = Act }));
        Assert.Equal("tensor 'f' is Float32 but carries quantization parameters (only Int8 and Int32 tensors are quantized)", e.Message);
        // An Int32 bias may use any zero point its type holds and a per-channel axis.
        Single(new TensorInfo("b", DataType.Int32, [2], TensorKind.Input) { Quant = new QuantParams([0.5f, 0.25f], [int.MinValue, 7], axis: 0) });
    }

    [Fact]
    public void Conv_weights_must_be_symmetric()
    {
        var e = PrepareConv(w: new QuantParams([0.1f, 0.1f], [0, 3], axis: 0));
        Assert.Equal("op 'conv' (Conv2D): weights 'w' must be quantized symmetrically (zero point 0), have zero point 3", e.Message);
    }

    [Fact]
    public void Conv_weights_per_channel_along_another_axis()
    {
        var e = PrepareConv(w: new QuantParams([0.1f, 0.1f, 0.1f], [0, 0, 0], axis: 3), weightShape: [2, 1, 1, 3]);
        Assert.StartsWith("op 'conv' (Conv2D): weights 'w' must be quantized per tensor or per output channel (axis 0, 2 scales)", e.Message);
    }

    [Fact]
    public void Conv_bias_must_be_a_quantized_int32_with_the_product_scale()
    {
        Assert.Equal("op 'conv' (Conv2D): bias 'b' of an int8 op must be Int32, is Float32", PrepareConv(floatBias: true).Message);
        Assert.Equal("op 'conv' (Conv2D): bias 'b' has no quantization parameters (scale s_x·s_w[c], zero point 0)", PrepareConv(noBiasQuant: true).Message);
        Assert.Equal("op 'conv' (Conv2D): bias 'b' channel 1 has scale 0.0199999996, but input scale × weight scale is 0.0100000003",
            PrepareConv(bias: new QuantParams([0.005f, 0.02f], [0, 0], axis: 0)).Message);
        Assert.Equal("op 'conv' (Conv2D): bias 'b' channel 0 has zero point 5; int32 biases have zero point 0",
            PrepareConv(bias: QuantParams.PerTensor(0.005f, 5)).Message);
    }

    [Fact]
    public void Conv_with_a_non_clamp_activation()
    {
        var e = PrepareConv(activation: ActivationKind.Sigmoid);
        Assert.StartsWith("op 'conv' (Conv2D): fused activation Sigmoid has no int8 form", e.Message);
    }

    [Fact]
    public void Clip_with_a_NaN_bound()
    {
        var e = PrepareConv(activation: ActivationKind.Clip, alpha: float.NaN);
        Assert.Equal("op 'conv' (Conv2D): Clip bounds [NaN, 6] include NaN", e.Message);
    }

    [Fact]
    public void Per_channel_activation()
    {
        var e = PrepareConv(x: new QuantParams([0.1f, 0.1f, 0.1f], [0, 0, 0], axis: 3));
        Assert.Equal("op 'conv' (Conv2D): Int8 tensor 'x' needs per-tensor quantization, has per-channel axis 3 (3 scales)", e.Message);
    }

    [Fact]
    public void Accumulator_that_could_overflow_int32_is_refused()
    {
        const int k = 70_000;
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Int8, [1, k], QuantParams.PerTensor(0.1f, -128));
        int w = b.Int8Constant("w", [1, k], QuantParams.PerTensor(0.01f, 0), Enumerable.Repeat((sbyte)127, k).ToArray());
        int y = b.Activation("y", DataType.Int8, [1, 1], Act);
        var model = b.Op(OpCode.FullyConnected, [x, w], [y], null, "fc").Output(y).Build();
        var e = Assert.Throws<ModelFormatException>(() => new Session(model));
        Assert.Equal($"op 'fc' (FullyConnected): output channel 0 could accumulate up to {255L * 127 * k}, beyond int32 (|bias| + 255 × Σ|w| = {127L * k}); the int8 kernels accumulate in int32", e.Message);
    }

    [Fact]
    public void Binary_kind_without_an_int8_variant()
    {
        var b = new QuantizedModelBuilder();
        int a = b.Input("a", DataType.Int8, [4], Act);
        int c = b.Input("c", DataType.Int8, [4], Act);
        int y = b.Activation("y", DataType.Int8, [4], Act);
        var model = b.Op(OpCode.Binary, [a, c], [y], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Div), "div").Output(y).Build();
        Assert.Equal("op 'div' (Binary): Binary kind Div has no int8 variant (Add, Sub and Mul have)", Assert.Throws<ModelFormatException>(() => new Session(model)).Message);
    }

    [Fact]
    public void Lookup_table_must_be_a_256_entry_constant_quantized_like_the_output()
    {
        Assert.StartsWith("op 'lut' (Unary): lookup table 't' must be a constant Int8 [256], is Constant Int8 [255]",
            PrepareLookup(255, Act).Message);
        Assert.Equal("op 'lut' (Unary): lookup table 't' (scale 0.1 zp -3) must be quantized like the output 'y' (scale 0.05 zp -3); its entries are output values",
            PrepareLookup(256, QuantParams.PerTensor(0.1f, -3)).Message);
    }

    [Fact]
    public void Pool_that_would_rescale()
    {
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Int8, [1, 4, 4, 2], Act);
        int y = b.Activation("y", DataType.Int8, [1, 2, 2, 2], QuantParams.PerTensor(0.05f, 0));
        var model = b.Op(OpCode.MaxPool2D, [x], [y], new OpParams().Set(ParamKey.Kernel, 2, 2).Set(ParamKey.Strides, 2, 2), "pool").Output(y).Build();
        Assert.Equal("op 'pool' (MaxPool2D): input 'x' (scale 0.05 zp -3) and output 'y' (scale 0.05 zp 0) must have the same quantization; this int8 op does not rescale",
            Assert.Throws<ModelFormatException>(() => new Session(model)).Message);
    }

    [Fact]
    public void Op_without_an_int8_variant()
    {
        var b = new QuantizedModelBuilder();
        int x = b.Input("x8", DataType.Int8, [1, 2, 2, 1], Act);
        int y = b.Activation("y", DataType.Int8, [1, 2, 2, 1], Act);
        var model = b.Op(OpCode.Lrn, [x], [y], new OpParams().Set(ParamKey.Size, 1), "lrn").Output(y).Build();
        Assert.Equal("op 'lrn' (Lrn): has no int8 variant, but its first input 'x8' is Int8", Assert.Throws<ModelFormatException>(() => new Session(model)).Message);
    }

    [Fact]
    public void Quantize_needs_a_per_tensor_int8_output_and_Dequantize_an_int8_input()
    {
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Float32, [3]);
        int y = b.Activation("y", DataType.Int8, [3], new QuantParams([1f, 1f, 1f], [0, 0, 0], axis: 0));
        var model = b.Op(OpCode.Quantize, [x], [y], null, "q").Output(y).Build();
        Assert.StartsWith("op 'q' (Quantize): Int8 tensor 'y' needs per-tensor quantization", Assert.Throws<ModelFormatException>(() => new Session(model)).Message);

        b = new QuantizedModelBuilder();
        x = b.Input("x", DataType.Float32, [3]);
        y = b.Activation("y", DataType.Float32, [3]);
        model = b.Op(OpCode.Dequantize, [x], [y], null, "dq").Output(y).Build();
        Assert.Equal("op 'dq' (Dequantize): tensor 'x' must be Int8, is Float32", Assert.Throws<ModelFormatException>(() => new Session(model)).Message);
    }

    [Fact]
    public void Session_run_quantizes_floats_for_int8_graph_inputs_and_refuses_other_types()
    {
        // An Int8 input (a model quantized with --int8-input) takes float data quantized with its params.
        var b = new QuantizedModelBuilder();
        int x = b.Input("x8", DataType.Int8, [4], Act);
        int y = b.Activation("y", DataType.Float32, [4]);
        var session = new Session(b.Op(OpCode.Dequantize, [x], [y], null, "dq").Output(y).Build());
        float[] data = [0f, Act.Scale * 3.5f, -1e6f, 1e6f];
        var output = new float[4];
        session.Run(data, output);
        Assert.Equal(data.Select(v => Act.Scale * (Qs8QuantizeReference.Quantize(v, Act.Scale, Act.ZeroPoint) - Act.ZeroPoint)), output);

        b = new QuantizedModelBuilder();
        int i32 = b.Input("x32", DataType.Int32, [4]);
        session = new Session(b.Output(i32).Build());
        var e = Assert.Throws<ArgumentException>(() => session.Run(new float[4], new float[4]));
        Assert.StartsWith("input 'x32' is Int32; Run takes Float32 data for Float32 and Int8 inputs only", e.Message);
    }

    private static TensorInfo Int8(string name, int[] shape, QuantParams quant) => new(name, DataType.Int8, shape, TensorKind.Input) { Quant = quant };

    private static CompiledModel Single(TensorInfo input) => new([input], [], [0], [0], ReadOnlyMemory<byte>.Empty);

    /// <summary>Prepares an int8 1x1 conv X[1,2,2,3] → Y[1,2,2,2] with one thing changed; returns the refusal.</summary>
    private static ModelFormatException PrepareConv(QuantParams? x = null, QuantParams? w = null, int[]? weightShape = null,
        QuantParams? bias = null, bool noBiasQuant = false, bool floatBias = false, ActivationKind activation = ActivationKind.None, float alpha = 0f)
    {
        var qx = x ?? QuantParams.PerTensor(0.05f, 1);
        var qw = w ?? new QuantParams([0.1f, 0.2f], [0, 0], axis: 0);
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [1, 2, 2, 3], qx);
        var shape = weightShape ?? [2, 1, 1, 3];
        int wi = b.Int8Constant("w", shape, qw, new sbyte[shape.Aggregate(1, (p, d) => p * d)]);
        int bi = floatBias
            ? b.FloatConstant("b", [2], [0f, 0f])
            : b.Int32Constant("b", [2], noBiasQuant ? null : bias ?? new QuantParams([0.05f * 0.1f, 0.05f * 0.2f], [0, 0], axis: 0), [1, 2]);
        int yi = b.Activation("y", DataType.Int8, [1, 2, 2, 2], Act);
        var p = new OpParams().Set(ParamKey.Activation, (int)activation);
        if (activation == ActivationKind.Clip) p.Set(ParamKey.Alpha, alpha).Set(ParamKey.Beta, 6f);
        var model = b.Op(OpCode.Conv2D, [xi, wi, bi], [yi], p, "conv").Output(yi).Build();
        return Assert.Throws<ModelFormatException>(() => new Session(model));
    }

    private static ModelFormatException PrepareLookup(int length, QuantParams tableQuant)
    {
        var b = new QuantizedModelBuilder();
        int x = b.Input("x", DataType.Int8, [5], QuantParams.PerTensor(0.5f, 0));
        int t = b.Int8Constant("t", [length], tableQuant, new sbyte[length]);
        int y = b.Activation("y", DataType.Int8, [5], Act);
        var model = b.Op(OpCode.Unary, [x, t], [y], null, "lut").Output(y).Build();
        return Assert.Throws<ModelFormatException>(() => new Session(model));
    }
}
