using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// Int8 linear Resize against the arithmetic docs/quantization.md defines, written here per output element over the
/// NHWC index (ONNX's coordinate formulas, Q11 tap weights, a 64-bit sum rounded once with halves away from zero),
/// byte for byte; and against the float op on the dequantized input, within one quantization step.
/// </summary>
public sealed class Qs8ResizeLinearTests
{
    // n, h, w, c → out h, out w, coordinate mode
    public static TheoryData<int[], int[], ResizeCoordinateMode> Cases => new()
    {
        { [1, 3, 4, 2], [6, 8], ResizeCoordinateMode.HalfPixel },
        { [2, 5, 3, 3], [10, 6], ResizeCoordinateMode.PytorchHalfPixel },
        { [1, 4, 5, 1], [7, 9], ResizeCoordinateMode.AlignCorners },
        { [1, 3, 3, 4], [6, 6], ResizeCoordinateMode.Asymmetric },
        { [1, 3, 4, 2], [6, 8], ResizeCoordinateMode.TfHalfPixelForNn },
        { [1, 7, 9, 3], [3, 4], ResizeCoordinateMode.HalfPixel },          // downscale
        { [1, 6, 1, 5], [12, 1], ResizeCoordinateMode.HalfPixel },         // one axis
        { [1, 4, 4, 2], [4, 12], ResizeCoordinateMode.AlignCorners },      // the other axis
        { [1, 2, 3, 3], [1, 1], ResizeCoordinateMode.PytorchHalfPixel },   // to a single pixel
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_documented_integer_arithmetic(int[] shape, int[] outHw, ResizeCoordinateMode mode)
    {
        foreach (int zp in new[] { -128, -5, 0, 77, 127 })
        {
            var q = QuantParams.PerTensor(0.05f, zp);
            var x = RandomInt8(new Random(shape.Sum() * 31 + zp), shape.Aggregate(1, (a, b) => a * b));
            int[] outShape = [shape[0], outHw[0], outHw[1], shape[3]];
            var actual = OpRunner.RunInt8(Model(shape, outShape, mode, DataType.Int8, q), OpRunner.Bytes(x));
            Assert.Equal(Naive(x, shape, outShape, mode, zp), actual.Select(v => (int)v).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stays_within_one_step_of_the_float_op_on_the_dequantized_input(int[] shape, int[] outHw, ResizeCoordinateMode mode)
    {
        var q = QuantParams.PerTensor(0.05f, 9);
        var x = RandomInt8(new Random(shape.Sum()), shape.Aggregate(1, (a, b) => a * b));
        int[] outShape = [shape[0], outHw[0], outHw[1], shape[3]];
        var actual = OpRunner.RunInt8(Model(shape, outShape, mode, DataType.Int8, q), OpRunner.Bytes(x));
        var real = x.Select(v => q.Scale * (v - q.ZeroPoint)).ToArray();
        var floatBytes = OpRunner.Run(Model(shape, outShape, mode, DataType.Float32, null), MemoryMarshal.AsBytes(real.AsSpan()).ToArray())[0];
        var expected = MemoryMarshal.Cast<byte, float>(floatBytes).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            double code = expected[i] / q.Scale + q.ZeroPoint;
            Assert.True(Math.Abs(actual[i] - code) <= 1.0, $"element {i}: int8 {actual[i]}, float {code:F3} in steps");
        }
    }

    [Fact]
    public void Halves_round_away_from_zero()
    {
        // Two pixels upscaled 2x along w, asymmetric: the odd outputs lie exactly halfway (weight 1024 of 2048).
        var q = QuantParams.PerTensor(1f, 0);
        sbyte[] x = [1, 2, -1, -2, 0, 3];
        var actual = OpRunner.RunInt8(Model([1, 1, 2, 3], [1, 1, 4, 3], ResizeCoordinateMode.Asymmetric, DataType.Int8, q), OpRunner.Bytes(x));
        // Row: (1,2,−1) then (−2,0,3); the halfway pixel holds (−0.5, 1, 1) → (−1, 1, 1); the last repeats the edge.
        Assert.Equal(new sbyte[] { 1, 2, -1, -1, 1, 1, -2, 0, 3, -2, 0, 3 }, actual);
    }

    [Fact]
    public void Three_resized_axes_are_refused_naming_the_op()
    {
        var q = QuantParams.PerTensor(0.1f, 0);
        var model = Model([2, 3, 4, 2], [4, 6, 8, 2], ResizeCoordinateMode.HalfPixel, DataType.Int8, q, scales: [2f, 2f, 2f, 1f]);
        var e = Assert.Throws<ModelFormatException>(() => new Session(model));
        Assert.Contains("op 'up' (Resize): int8 linear Resize interpolates at most two axes", e.Message);
    }

    [Fact]
    public void Different_input_and_output_quantization_is_refused()
    {
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [1, 2, 2, 1], QuantParams.PerTensor(0.1f, 0));
        int yi = b.Activation("y", DataType.Int8, [1, 4, 4, 1], QuantParams.PerTensor(0.2f, 0));
        var p = new OpParams().Set(ParamKey.Mode, (int)ResizeMode.Linear).Set(ParamKey.Scales, 1f, 2f, 2f, 1f);
        var e = Assert.Throws<ModelFormatException>(() => new Session(b.Op(OpCode.Resize, [xi], [yi], p, "up").Output(yi).Build()));
        Assert.Contains("must have the same quantization", e.Message);
    }

    private static CompiledModel Model(int[] inShape, int[] outShape, ResizeCoordinateMode mode, DataType type, QuantParams? q, float[]? scales = null)
    {
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", type, inShape, q);
        int yi = b.Activation("y", type, outShape, q);
        scales ??= inShape.Select((n, a) => (float)outShape[a] / n).ToArray();
        var p = new OpParams().Set(ParamKey.Mode, (int)ResizeMode.Linear).Set(ParamKey.Scales, scales).Set(ParamKey.CoordinateMode, (int)mode);
        return b.Op(OpCode.Resize, [xi], [yi], p, "up").Output(yi).Build();
    }

    private static int[] Naive(sbyte[] x, int[] s, int[] o, ResizeCoordinateMode mode, int zp)
    {
        var y = new int[o.Aggregate(1, (a, b) => a * b)];
        int i = 0;
        for (int n = 0; n < o[0]; n++)
        for (int h = 0; h < o[1]; h++)
        for (int w = 0; w < o[2]; w++)
        for (int c = 0; c < o[3]; c++)
        {
            var (h0, h1, wh) = Taps(mode, h, s[1], o[1]);
            var (w0, w1, ww) = Taps(mode, w, s[2], o[2]);
            int At(int hh, int www) => x[((n * s[1] + hh) * s[2] + www) * s[3] + c] - zp;
            long acc = (2048L - wh) * ((2048L - ww) * At(h0, w0) + ww * At(h0, w1)) + wh * ((2048L - ww) * At(h1, w0) + ww * At(h1, w1));
            long half = 1L << 21;
            long rounded = acc >= 0 ? (acc + half) / (1L << 22) : -((-acc + half) / (1L << 22));
            y[i++] = zp + (int)rounded;
        }
        return y;
    }

    /// <summary>ONNX coordinate_transformation_mode (resized length = scale·input length), clamped to the input, two taps.</summary>
    private static (int Lower, int Upper, int Weight) Taps(ResizeCoordinateMode mode, int o, int inLength, int outLength)
    {
        if (inLength == outLength) return (o, o, 0);
        double scale = (float)outLength / inLength;
        double resized = scale * inLength;
        double source = mode switch
        {
            ResizeCoordinateMode.HalfPixel => (o + 0.5) / scale - 0.5,
            ResizeCoordinateMode.PytorchHalfPixel => resized > 1 ? (o + 0.5) / scale - 0.5 : 0,
            ResizeCoordinateMode.AlignCorners => resized == 1 ? 0 : o * (inLength - 1.0) / (resized - 1),
            ResizeCoordinateMode.Asymmetric => o / scale,
            ResizeCoordinateMode.TfHalfPixelForNn => (o + 0.5) / scale,
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        source = Math.Clamp(source, 0, inLength - 1);
        int lower = (int)Math.Floor(source);
        int upper = Math.Min(lower + 1, inLength - 1);
        return (lower, upper, (int)Math.Round((source - lower) * 2048, MidpointRounding.AwayFromZero));
    }
}
