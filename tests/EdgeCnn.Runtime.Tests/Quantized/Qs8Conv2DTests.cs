using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// The int8 Conv2D operator against a convolution written here from docs/quantization.md: the input is
/// padded with its zero point, acc = B + Σ (x − zp_x)·w accumulated in 64-bit, the output stage from
/// FixedPoint; bytes must be identical. Plus a sanity check against the float convolution of the
/// dequantized operands.
/// </summary>
public sealed class Qs8Conv2DTests
{
    internal sealed record Case(
        int N, int H, int W, int Cin, int Cout, int KH, int KW, int SH, int SW, int DH, int DW, int[] Pads, int Group,
        ActivationKind Act, float Alpha, float Beta, bool PerChannel, bool Bias, int Zx, int Zy, bool CeilMode = false);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["3x3 stride 1 pad 1, Relu"] = new(1, 7, 6, 3, 5, 3, 3, 1, 1, 1, 1, [1, 1, 1, 1], 1, ActivationKind.Relu, 0, 0, true, true, -3, -128),
        ["3x3 stride 2, asymmetric pads, Clip, batch 2"] = new(2, 9, 8, 4, 6, 3, 3, 2, 2, 1, 1, [0, 1, 2, 1], 1, ActivationKind.Clip, -1f, 2.5f, true, true, 127, 10),
        ["5x3 dilated 2x1, strides 1x2"] = new(1, 11, 9, 5, 7, 5, 3, 1, 2, 2, 1, [2, 1, 2, 1], 1, ActivationKind.None, 0, 0, true, true, -128, 0),
        ["3 groups, per-tensor weights, no bias"] = new(1, 6, 7, 9, 6, 3, 3, 1, 1, 1, 1, [1, 1, 1, 1], 3, ActivationKind.None, 0, 0, false, false, 5, -7),
        ["depthwise, stride 2, ReLU6"] = new(1, 9, 9, 7, 7, 3, 3, 2, 2, 1, 1, [1, 1, 1, 1], 7, ActivationKind.Clip, 0f, 6f, true, true, -20, -128),
        ["depthwise with multiplier 2, dilation 2"] = new(1, 8, 7, 5, 10, 3, 3, 1, 1, 2, 2, [2, 2, 2, 2], 5, ActivationKind.None, 0, 0, true, true, 33, 3),
        ["pointwise 1x1, odd channels"] = new(2, 5, 3, 13, 11, 1, 1, 1, 1, 1, 1, [0, 0, 0, 0], 1, ActivationKind.None, 0, 0, true, true, 0, 0),
        ["ceil-mode window past the input"] = new(1, 6, 6, 3, 4, 3, 3, 2, 2, 1, 1, [0, 0, 0, 0], 1, ActivationKind.Relu, 0, 0, true, true, -50, -100, CeilMode: true),
        ["Clip bounds beyond the int8 range"] = new(1, 5, 5, 2, 3, 2, 2, 1, 1, 1, 1, [0, 0, 1, 1], 1, ActivationKind.Clip, -1e6f, 1e6f, true, true, 100, -100),
        ["Clip with min above max"] = new(1, 4, 4, 2, 3, 3, 3, 1, 1, 1, 1, [1, 1, 1, 1], 1, ActivationKind.Clip, 2f, 1f, true, true, 0, 0),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_the_documented_integer_convolution_byte_for_byte(string name)
    {
        var c = Cases[name];
        for (int seed = 0; seed < 3; seed++)
        {
            var setup = Setup.Create(c, new Random(TestSeed.Of(name) ^ seed));
            var actual = OpRunner.RunInt8(setup.Model, OpRunner.Bytes(setup.X));
            var expected = setup.Reference();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                if (expected[i] != actual[i]) Assert.Fail($"{name}, seed {seed}: element {i}: expected {expected[i]}, got {actual[i]}");
            // The data exercise the output range, not only one saturated end (unless the bounds leave no range).
            var (lo, hi) = Bounds(c.Act, c.Alpha, c.Beta, setup.Qy.Scale, c.Zy);
            if (hi - lo > 32)
                Assert.True(actual.Distinct().Count() > Math.Min(8, actual.Length / 4), $"{name}: outputs barely vary: {string.Join(',', actual.Distinct())}");
            else
                Assert.All(actual, v => Assert.InRange(v, Math.Min(lo, hi), hi));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Dequantized_output_is_within_one_step_of_the_float_convolution(string name)
    {
        var c = Cases[name];
        var setup = Setup.Create(c, new Random(name.Length * 977));
        var actual = OpRunner.RunInt8(setup.Model, OpRunner.Bytes(setup.X));
        var floatY = setup.FloatConvolution();
        var (lo, hi) = Bounds(c.Act, c.Alpha, c.Beta, setup.Qy.Scale, c.Zy);
        for (int i = 0; i < actual.Length; i++)
        {
            double ideal = Math.Min(Math.Max(c.Zy + floatY[i] / setup.Qy.Scale, Math.Max(lo, -128)), Math.Min(hi, 127));
            Assert.True(Math.Abs(actual[i] - ideal) <= 1.0, $"{name}: element {i}: int8 {actual[i]}, float conv gives {ideal:F3} steps");
        }
    }

    /// <summary>One random instance of a case: the model, the input, and the references.</summary>
    private sealed class Setup
    {
        public required Case C { get; init; }
        public required CompiledModel Model { get; init; }
        public required sbyte[] X { get; init; }
        public required sbyte[] Weights { get; init; }
        public required int[]? Bias { get; init; }
        public required QuantParams Qx { get; init; }
        public required QuantParams Qw { get; init; }
        public required QuantParams Qy { get; init; }
        public required int OH { get; init; }
        public required int OW { get; init; }

        public static Setup Create(Case c, Random rng)
        {
            int cpg = c.Cin / c.Group;
            int k = c.KH * c.KW * cpg;
            int OutExtent(int input, int kernel, int stride, int dilation, int pad)
            {
                int span = input + pad - dilation * (kernel - 1) - 1;
                return (c.CeilMode ? (span + stride - 1) / stride : span / stride) + 1;
            }
            int oh = OutExtent(c.H, c.KH, c.SH, c.DH, c.Pads[0] + c.Pads[2]);
            int ow = OutExtent(c.W, c.KW, c.SW, c.DW, c.Pads[1] + c.Pads[3]);

            var qx = QuantParams.PerTensor(0.01f + 0.04f * (float)rng.NextDouble(), c.Zx);
            var wScales = Enumerable.Range(0, c.PerChannel ? c.Cout : 1).Select(_ => 0.002f + 0.018f * (float)rng.NextDouble()).ToArray();
            var qw = c.PerChannel ? new QuantParams(wScales, new int[c.Cout], axis: 0) : QuantParams.PerTensor(wScales[0], 0);
            float ys = (float)(qx.Scale * wScales.Average() * Math.Sqrt(k) * 110 * (0.6 + 0.8 * rng.NextDouble()));
            var qy = QuantParams.PerTensor(ys, c.Zy);

            var x = RandomInt8(rng, c.N * c.H * c.W * c.Cin);
            var w = RandomInt8(rng, c.Cout * k);
            int[]? bias = c.Bias ? RandomInt32(rng, c.Cout, (int)(3000 * Math.Sqrt(k))) : null;

            var b = new QuantizedModelBuilder();
            int xi = b.Input("x", DataType.Int8, [c.N, c.H, c.W, c.Cin], qx);
            int wi = b.Int8Constant("w", [c.Cout, c.KH, c.KW, cpg], qw, w);
            int bi = -1;
            if (bias is not null)
            {
                var biasScales = Enumerable.Range(0, c.Cout).Select(o => qx.Scale * wScales[c.PerChannel ? o : 0]).ToArray();
                bi = b.Int32Constant("b", [c.Cout], c.PerChannel ? new QuantParams(biasScales, new int[c.Cout], axis: 0) : QuantParams.PerTensor(biasScales[0], 0), bias);
            }
            int yi = b.Activation("y", DataType.Int8, [c.N, oh, ow, c.Cout], qy);
            var p = new OpParams().Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.SH, c.SW).Set(ParamKey.Dilations, c.DH, c.DW)
                .Set(ParamKey.Pads, c.Pads).Set(ParamKey.Group, c.Group).Set(ParamKey.Activation, (int)c.Act);
            if (c.Act == ActivationKind.Clip) p.Set(ParamKey.Alpha, c.Alpha).Set(ParamKey.Beta, c.Beta);
            b.Op(OpCode.Conv2D, [xi, wi, bi], [yi], p, "conv").Output(yi);
            return new Setup { C = c, Model = b.Build(), X = x, Weights = w, Bias = bias, Qx = qx, Qw = qw, Qy = qy, OH = oh, OW = ow };
        }

        private double WeightScale(int oc) => Qw.IsPerTensor ? Qw.Scale : Qw.Scales[oc];

        /// <summary>The integer convolution over an explicitly zero-point-padded input.</summary>
        public sbyte[] Reference()
        {
            var c = C;
            int ph = c.H + c.Pads[0] + c.Pads[2], pw = c.W + c.Pads[1] + c.Pads[3];
            var padded = new int[c.N * ph * pw * c.Cin];
            Array.Fill(padded, c.Zx);
            for (int n = 0; n < c.N; n++)
            for (int h = 0; h < c.H; h++)
            for (int w = 0; w < c.W; w++)
            for (int ch = 0; ch < c.Cin; ch++)
                padded[((n * ph + h + c.Pads[0]) * pw + w + c.Pads[1]) * c.Cin + ch] = X[((n * c.H + h) * c.W + w) * c.Cin + ch];

            var (lo, hi) = Bounds(c.Act, c.Alpha, c.Beta, Qy.Scale, c.Zy);
            int cpg = c.Cin / c.Group, opg = c.Cout / c.Group;
            var y = new sbyte[c.N * OH * OW * c.Cout];
            for (int n = 0; n < c.N; n++)
            for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++)
            for (int oc = 0; oc < c.Cout; oc++)
            {
                long acc = Bias?[oc] ?? 0;
                int group = oc / opg;
                for (int ky = 0; ky < c.KH; ky++)
                for (int kx = 0; kx < c.KW; kx++)
                {
                    int iy = oy * c.SH + ky * c.DH, ix = ox * c.SW + kx * c.DW;
                    if (iy >= ph || ix >= pw) continue; // a ceil-mode window past the padded input
                    for (int ci = 0; ci < cpg; ci++)
                        acc += (long)(padded[((n * ph + iy) * pw + ix) * c.Cin + group * cpg + ci] - c.Zx)
                            * Weights[((oc * c.KH + ky) * c.KW + kx) * cpg + ci];
                }
                double real = (double)Qx.Scale * WeightScale(oc) / Qy.Scale;
                y[((n * OH + oy) * OW + ox) * c.Cout + oc] = Requantize(acc, real, c.Zy, lo, hi);
            }
            return y;
        }

        /// <summary>The float runtime's Conv2D (no activation) on the dequantized input, weights and bias.</summary>
        public float[] FloatConvolution()
        {
            var c = C;
            int cpg = c.Cin / c.Group, k = c.KH * c.KW * cpg;
            var x = X.Select(v => Dequantize(v, Qx)).ToArray();
            var w = new float[Weights.Length];
            for (int i = 0; i < w.Length; i++) w[i] = (float)(Weights[i] * WeightScale(i / k));
            var inputs = new List<TestTensor>
            {
                TestTensor.Input([c.N, c.H, c.W, c.Cin], x),
                TestTensor.Constant([c.Cout, c.KH, c.KW, cpg], w),
            };
            if (Bias is not null)
                inputs.Add(TestTensor.Constant([c.Cout], Enumerable.Range(0, c.Cout).Select(o => (float)(Bias[o] * Qx.Scale * WeightScale(o))).ToArray()));
            var p = new OpParams().Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.SH, c.SW).Set(ParamKey.Dilations, c.DH, c.DW)
                .Set(ParamKey.Pads, c.Pads).Set(ParamKey.Group, c.Group);
            return OneOpModel.Run(OpCode.Conv2D, p, inputs, [c.N, OH, OW, c.Cout]);
        }
    }
}
