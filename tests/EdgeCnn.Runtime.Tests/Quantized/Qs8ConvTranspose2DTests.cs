using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// The int8 ConvTranspose2D operator against a transposed convolution written here in gather form (each output
/// element sums the input pixels whose taps reach it, in 64-bit), with the output stage from FixedPoint, byte for
/// byte; and within one step of the float op on the dequantized operands (weights reordered back to [Cin,KH,KW,Cout/g]).
/// </summary>
public sealed class Qs8ConvTranspose2DTests
{
    internal sealed record Case(int N, int H, int W, int Cin, int Cout, int KH, int KW, int S, int D, int[] Pads, int Group, int OutputPadding,
        ActivationKind Act, bool PerChannel, bool Bias, int Zx, int Zy);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["2x2 stride 2 upsampling, Relu (the detector's head)"] = new(1, 4, 5, 6, 4, 2, 2, 2, 1, [0, 0, 0, 0], 1, 0, ActivationKind.Relu, true, true, -7, -128),
        ["3x3 stride 2 pads 1, output padding 1"] = new(1, 4, 3, 3, 5, 3, 3, 2, 1, [1, 1, 1, 1], 1, 1, ActivationKind.None, true, true, 20, 3),
        ["asymmetric pads, batch 2, per tensor, no bias"] = new(2, 3, 4, 4, 3, 3, 2, 1, 1, [0, 1, 2, 0], 1, 0, ActivationKind.None, false, false, -128, 0),
        ["2 groups, dilation 2"] = new(1, 5, 4, 6, 4, 3, 3, 2, 2, [1, 1, 1, 1], 2, 0, ActivationKind.None, true, true, 0, -20),
        ["depthwise-like, stride 3"] = new(1, 3, 3, 5, 5, 3, 3, 3, 1, [0, 0, 0, 0], 5, 0, ActivationKind.Relu, true, true, 100, -100),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_the_documented_integer_arithmetic_byte_for_byte(string name)
    {
        var c = Cases[name];
        for (int seed = 0; seed < 3; seed++)
        {
            var s = Setup.Create(c, new Random(name.Length * 131 + seed));
            var actual = OpRunner.RunInt8(s.Model, OpRunner.Bytes(s.X));
            var expected = s.Reference();
            for (int i = 0; i < expected.Length; i++)
                if (expected[i] != actual[i]) Assert.Fail($"{name}, seed {seed}: element {i}: expected {expected[i]}, got {actual[i]}");
            Assert.True(actual.Distinct().Count() > Math.Min(8, actual.Length / 4), $"{name}: outputs barely vary");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Dequantized_output_is_within_one_step_of_the_float_op(string name)
    {
        var c = Cases[name];
        var s = Setup.Create(c, new Random(name.Length));
        var actual = OpRunner.RunInt8(s.Model, OpRunner.Bytes(s.X));
        var floatY = s.FloatTransposedConvolution();
        var (lo, hi) = Bounds(c.Act, 0, 0, s.Qy.Scale, c.Zy);
        for (int i = 0; i < actual.Length; i++)
        {
            double ideal = Math.Min(Math.Max(c.Zy + floatY[i] / s.Qy.Scale, lo), hi);
            Assert.True(Math.Abs(actual[i] - ideal) <= 1.0, $"{name}: element {i}: int8 {actual[i]}, float gives {ideal:F3} steps");
        }
    }

    [Fact]
    public void Weights_in_the_float_layout_are_refused_naming_the_tensor()
    {
        // Per-tensor weights: per-channel scales would already be refused by the model's own validation.
        var c = Cases["asymmetric pads, batch 2, per tensor, no bias"];
        var s = Setup.Create(c, new Random(1), floatLayoutShape: true);
        var e = Assert.Throws<ModelFormatException>(() => new Session(s.Model));
        Assert.Contains("int8 weights 'w'", e.Message);
        Assert.Contains("output-channel-major", e.Message);
    }

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

        public static Setup Create(Case c, Random rng, bool floatLayoutShape = false)
        {
            int cpg = c.Cin / c.Group, opg = c.Cout / c.Group;
            int oh = c.S * (c.H - 1) + c.OutputPadding + c.D * (c.KH - 1) + 1 - c.Pads[0] - c.Pads[2];
            int ow = c.S * (c.W - 1) + c.OutputPadding + c.D * (c.KW - 1) + 1 - c.Pads[1] - c.Pads[3];
            var qx = QuantParams.PerTensor(0.01f + 0.04f * (float)rng.NextDouble(), c.Zx);
            var wScales = Enumerable.Range(0, c.PerChannel ? c.Cout : 1).Select(_ => 0.002f + 0.018f * (float)rng.NextDouble()).ToArray();
            var qw = c.PerChannel ? new QuantParams(wScales, new int[c.Cout], axis: 0) : QuantParams.PerTensor(wScales[0], 0);
            // Each output sums about cpg·KH·KW/S² products.
            double taps = Math.Max(1.0, cpg * c.KH * c.KW / (double)(c.S * c.S));
            var qy = QuantParams.PerTensor((float)(qx.Scale * wScales.Average() * Math.Sqrt(taps) * 110), c.Zy);
            var x = RandomInt8(rng, c.N * c.H * c.W * c.Cin);
            var w = RandomInt8(rng, c.Cout * c.KH * c.KW * cpg);
            int[]? bias = c.Bias ? RandomInt32(rng, c.Cout, (int)(3000 * Math.Sqrt(taps))) : null;

            var b = new QuantizedModelBuilder();
            int xi = b.Input("x", DataType.Int8, [c.N, c.H, c.W, c.Cin], qx);
            int[] wShape = floatLayoutShape ? [c.Cin, c.KH, c.KW, opg] : [c.Cout, c.KH, c.KW, cpg];
            int wi = b.Int8Constant("w", wShape, qw, w);
            int bi = -1;
            if (bias is not null)
            {
                var biasScales = Enumerable.Range(0, c.Cout).Select(o => qx.Scale * wScales[c.PerChannel ? o : 0]).ToArray();
                bi = b.Int32Constant("b", [c.Cout], c.PerChannel ? new QuantParams(biasScales, new int[c.Cout], axis: 0) : QuantParams.PerTensor(biasScales[0], 0), bias);
            }
            int yi = b.Activation("y", DataType.Int8, [c.N, oh, ow, c.Cout], qy);
            var p = new OpParams().Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.S, c.S).Set(ParamKey.Dilations, c.D, c.D)
                .Set(ParamKey.Pads, c.Pads).Set(ParamKey.Group, c.Group).Set(ParamKey.Activation, (int)c.Act);
            if (c.OutputPadding != 0) p.Set(ParamKey.OutputPadding, c.OutputPadding, c.OutputPadding);
            b.Op(OpCode.ConvTranspose2D, [xi, wi, bi], [yi], p, "deconv").Output(yi);
            return new Setup { C = c, Model = b.Build(), X = x, Weights = w, Bias = bias, Qx = qx, Qw = qw, Qy = qy, OH = oh, OW = ow };
        }

        private double WeightScale(int oc) => Qw.IsPerTensor ? Qw.Scale : Qw.Scales[oc];

        /// <summary>Gather form: output (oh, ow) takes input (ih, iw) through tap (kh, kw) when oh = ih·S − pad_top + kh·D.</summary>
        public sbyte[] Reference()
        {
            var c = C;
            int cpg = c.Cin / c.Group, opg = c.Cout / c.Group;
            var (lo, hi) = Bounds(c.Act, 0, 0, Qy.Scale, c.Zy);
            var y = new sbyte[c.N * OH * OW * c.Cout];
            for (int n = 0; n < c.N; n++)
            for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++)
            for (int oc = 0; oc < c.Cout; oc++)
            {
                long acc = Bias?[oc] ?? 0;
                for (int ky = 0; ky < c.KH; ky++)
                for (int kx = 0; kx < c.KW; kx++)
                {
                    int ty = oy + c.Pads[0] - ky * c.D, tx = ox + c.Pads[1] - kx * c.D;
                    if (ty < 0 || tx < 0 || ty % c.S != 0 || tx % c.S != 0) continue;
                    int iy = ty / c.S, ix = tx / c.S;
                    if (iy >= c.H || ix >= c.W) continue;
                    for (int ci = 0; ci < cpg; ci++)
                        acc += (long)(X[((n * c.H + iy) * c.W + ix) * c.Cin + oc / opg * cpg + ci] - c.Zx) * Weights[((oc * c.KH + ky) * c.KW + kx) * cpg + ci];
                }
                y[((n * OH + oy) * OW + ox) * c.Cout + oc] = Requantize(acc, (double)Qx.Scale * WeightScale(oc) / Qy.Scale, c.Zy, lo, hi);
            }
            return y;
        }

        /// <summary>The float runtime's ConvTranspose2D (no activation) on the dequantized operands, its weights in the float layout.</summary>
        public float[] FloatTransposedConvolution()
        {
            var c = C;
            int cpg = c.Cin / c.Group, opg = c.Cout / c.Group;
            var w = new float[Weights.Length];
            for (int oc = 0; oc < c.Cout; oc++)
            for (int ky = 0; ky < c.KH; ky++)
            for (int kx = 0; kx < c.KW; kx++)
            for (int ci = 0; ci < cpg; ci++)
            {
                int ic = oc / opg * cpg + ci;
                w[((ic * c.KH + ky) * c.KW + kx) * opg + oc % opg] = (float)(Weights[((oc * c.KH + ky) * c.KW + kx) * cpg + ci] * WeightScale(oc));
            }
            var inputs = new List<TestTensor>
            {
                TestTensor.Input([c.N, c.H, c.W, c.Cin], X.Select(v => Dequantize(v, Qx)).ToArray()),
                TestTensor.Constant([c.Cin, c.KH, c.KW, opg], w),
            };
            if (Bias is not null)
                inputs.Add(TestTensor.Constant([c.Cout], Enumerable.Range(0, c.Cout).Select(o => (float)(Bias[o] * Qx.Scale * WeightScale(o))).ToArray()));
            var p = new OpParams().Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.S, c.S).Set(ParamKey.Dilations, c.D, c.D)
                .Set(ParamKey.Pads, c.Pads).Set(ParamKey.Group, c.Group);
            if (c.OutputPadding != 0) p.Set(ParamKey.OutputPadding, c.OutputPadding, c.OutputPadding);
            return OneOpModel.Run(OpCode.ConvTranspose2D, p, inputs, [c.N, OH, OW, c.Cout]);
        }
    }
}
