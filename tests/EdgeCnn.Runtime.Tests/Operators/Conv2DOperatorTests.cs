using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class Conv2DOperatorTests
{
    /// <summary>A convolution case in ONNX terms: X[n,c,h,w], W[m,c/group,kh,kw], pads [top,left,bottom,right].</summary>
    public sealed record Case(int N, int C, int H, int W, int M, int KH, int KW, int SH = 1, int SW = 1, int DH = 1, int DW = 1,
        int PT = 0, int PL = 0, int PB = 0, int PR = 0, int Group = 1, bool Bias = true)
    {
        public int OH => (H + PT + PB - DH * (KH - 1) - 1) / SH + 1;
        public int OW => (W + PL + PR - DW * (KW - 1) - 1) / SW + 1;
    }

    public static TheoryData<string, Case> Cases => new()
    {
        { "3x3 pad 1", new Case(1, 3, 7, 8, 5, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1) },
        { "stride 2, asymmetric pads, batch 2", new Case(2, 4, 9, 7, 6, 3, 3, SH: 2, SW: 2, PL: 1, PB: 1) },
        { "dilations", new Case(1, 5, 11, 10, 4, 3, 3, DH: 2, DW: 3, PT: 2, PL: 3, PB: 2, PR: 3) },
        { "groups", new Case(1, 6, 6, 6, 9, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1, Group: 3) },
        { "groups with dilation and stride", new Case(1, 8, 10, 9, 4, 3, 2, SH: 2, SW: 1, DH: 2, DW: 2, PT: 1, PB: 2, PR: 1, Group: 2) },
        { "depthwise", new Case(1, 16, 8, 8, 16, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1, Group: 16) },
        { "depthwise odd channels stride 2", new Case(1, 13, 9, 9, 13, 3, 3, SH: 2, SW: 2, PT: 1, PL: 1, PB: 1, PR: 1, Group: 13) },
        { "depthwise 5x5 dilated, no bias", new Case(2, 11, 12, 10, 11, 5, 5, DH: 2, DW: 2, PT: 4, PL: 4, PB: 4, PR: 4, Group: 11, Bias: false) },
        { "depthwise channel multiplier", new Case(1, 4, 6, 6, 12, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1, Group: 4) },
        { "pointwise", new Case(2, 17, 5, 6, 11, 1, 1) },
        { "pointwise odd pixels, no bias", new Case(1, 9, 3, 5, 6, 1, 1, Bias: false) },
        { "1x1 stride 2", new Case(1, 8, 7, 7, 5, 1, 1, SH: 2, SW: 2) },
        { "1x1 with pads", new Case(1, 3, 4, 4, 2, 1, 1, PT: 1, PL: 2, PB: 1, PR: 0) },
        { "1x5", new Case(1, 3, 6, 9, 4, 1, 5, PL: 2, PR: 2) },
        { "5x1", new Case(1, 3, 9, 6, 4, 5, 1, PT: 2, PB: 2) },
        { "kernel as large as padded input", new Case(1, 2, 3, 3, 3, 5, 5, PT: 1, PL: 1, PB: 1, PR: 1) },
        { "wide input channels", new Case(1, 37, 5, 5, 7, 3, 3, SH: 2, SW: 2, PT: 1, PL: 1, PB: 1, PR: 1) },
        { "single channel", new Case(1, 1, 6, 7, 3, 3, 3) },
        { "RGB stem stride 2", new Case(1, 3, 11, 10, 16, 3, 3, SH: 2, SW: 2, PT: 1, PL: 1, PB: 1, PR: 1) },
        { "many output channels", new Case(1, 12, 6, 5, 41, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1) },
        { "wide pointwise", new Case(1, 70, 4, 3, 9, 1, 1) },
        { "very wide pointwise", new Case(1, 130, 3, 3, 10, 1, 1) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_naive_NCHW_convolution(string name, Case c)
    {
        _ = name;
        var rng = new Random(TestSeed.Of(c.ToString()) & 0xffff);
        var x = Random(rng, c.N * c.C * c.H * c.W);
        var w = Random(rng, c.M * (c.C / c.Group) * c.KH * c.KW);
        var b = c.Bias ? Random(rng, c.M) : null;

        var actual = Run(c, x, w, b, new OpParams());

        AssertClose(NaiveConv(c, x, w, b), actual, atol: 1e-5);
    }

    [Theory]
    [InlineData(ActivationKind.Relu, 0f, 0f)]
    [InlineData(ActivationKind.Clip, 0f, 6f)]
    [InlineData(ActivationKind.LeakyRelu, 0.1f, 0f)]
    [InlineData(ActivationKind.HardSigmoid, 0.2f, 0.5f)]
    [InlineData(ActivationKind.HardSwish, 0f, 0f)]
    [InlineData(ActivationKind.Sigmoid, 0f, 0f)]
    [InlineData(ActivationKind.Tanh, 0f, 0f)]
    public void Applies_the_fused_activation(ActivationKind kind, float alpha, float beta)
    {
        Func<double, double> f = v => ActivationDefinition.Apply(kind, v, alpha, beta);
        var p = new OpParams().Set(ParamKey.Activation, (int)kind).Set(ParamKey.Alpha, alpha).Set(ParamKey.Beta, beta);
        foreach (var c in new[]
                 {
                     new Case(1, 8, 6, 6, 12, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1),
                     new Case(1, 12, 6, 6, 12, 3, 3, PT: 1, PL: 1, PB: 1, PR: 1, Group: 12),
                     new Case(1, 12, 5, 5, 9, 1, 1),
                 })
        {
            var rng = new Random(7);
            // Scaled so that outputs span the interesting region of every function (HardSwish bends at ±3).
            var x = Random(rng, c.N * c.C * c.H * c.W, -3f, 3f);
            var w = Random(rng, c.M * (c.C / c.Group) * c.KH * c.KW);
            var b = Random(rng, c.M);
            var expected = NaiveConv(c, x, w, b).Select(f).ToArray();
            AssertClose(expected, Run(c, x, w, b, p), 1e-5, 2e-5);
        }
    }

    [Fact]
    public void Accepts_a_ceil_mode_output_extent()
    {
        // H = 6, k = 3, s = 2, no pads: floor gives 2 rows, ceil 3; the last window hangs past the input and reads zeros there.
        var c = new Case(1, 2, 6, 6, 3, 3, 3, SH: 2, SW: 2);
        var rng = new Random(3);
        var x = Random(rng, 2 * 36);
        var w = Random(rng, 3 * 2 * 9);
        var b = Random(rng, 3);
        var padded = NaiveConv(c with { PB = 1, PR = 1 }, x, w, b); // the same windows over an explicitly zero-padded input
        Assert.Equal(3 * 3 * 3, padded.Length);
        var actual = Run(c, x, w, b, new OpParams(), outH: 3, outW: 3);
        AssertClose(padded, actual, atol: 1e-5);
    }

    internal static float[] Run(Case c, float[] x, float[] w, float[]? b, OpParams p, int? outH = null, int? outW = null)
    {
        int oh = outH ?? c.OH, ow = outW ?? c.OW;
        p.Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.SH, c.SW).Set(ParamKey.Dilations, c.DH, c.DW)
            .Set(ParamKey.Pads, c.PT, c.PL, c.PB, c.PR).Set(ParamKey.Group, c.Group);
        var inputs = new List<TestTensor>
        {
            TestTensor.Input([c.N, c.H, c.W, c.C], ToNhwc(x, c.N, c.C, c.H, c.W)),
            TestTensor.Constant([c.M, c.KH, c.KW, c.C / c.Group], ToNhwc(w, c.M, c.C / c.Group, c.KH, c.KW)),
        };
        if (b is not null) inputs.Add(TestTensor.Constant([c.M], b));
        var y = OneOpModel.Run(OpCode.Conv2D, p, inputs, [c.N, oh, ow, c.M]);
        return ToNchw(y, c.N, c.M, oh, ow);
    }

    /// <summary>ONNX Conv, NCHW, straight from the definition, in double.</summary>
    internal static double[] NaiveConv(Case c, float[] x, float[] w, float[]? b)
    {
        int cpg = c.C / c.Group, mpg = c.M / c.Group;
        var y = new double[c.N * c.M * c.OH * c.OW];
        for (int n = 0; n < c.N; n++)
        for (int m = 0; m < c.M; m++)
        for (int oh = 0; oh < c.OH; oh++)
        for (int ow = 0; ow < c.OW; ow++)
        {
            double sum = b?[m] ?? 0;
            for (int ci = 0; ci < cpg; ci++)
            for (int kh = 0; kh < c.KH; kh++)
            for (int kw = 0; kw < c.KW; kw++)
            {
                int ih = oh * c.SH - c.PT + kh * c.DH, iw = ow * c.SW - c.PL + kw * c.DW;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                int channel = m / mpg * cpg + ci;
                sum += (double)x[((n * c.C + channel) * c.H + ih) * c.W + iw] * w[((m * cpg + ci) * c.KH + kh) * c.KW + kw];
            }
            y[((n * c.M + m) * c.OH + oh) * c.OW + ow] = sum;
        }
        return y;
    }
}
