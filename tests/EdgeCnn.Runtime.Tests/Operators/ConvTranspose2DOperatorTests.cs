using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class ConvTranspose2DOperatorTests
{
    /// <summary>ONNX ConvTranspose terms: X[n,c,h,w], W[c, m/group, kh, kw], pads [top,left,bottom,right], output_padding.</summary>
    public sealed record Case(int N, int C, int H, int W, int M, int KH, int KW, int SH = 1, int SW = 1, int DH = 1, int DW = 1,
        int PT = 0, int PL = 0, int PB = 0, int PR = 0, int OPH = 0, int OPW = 0, int Group = 1, bool Bias = true)
    {
        public int OH => SH * (H - 1) + OPH + DH * (KH - 1) + 1 - PT - PB;
        public int OW => SW * (W - 1) + OPW + DW * (KW - 1) + 1 - PL - PR;
    }

    public static TheoryData<string, Case> Cases => new()
    {
        { "2x2 stride 2 upsampling", new Case(1, 4, 5, 6, 3, 2, 2, SH: 2, SW: 2) },
        { "3x3 stride 2 pads output padding", new Case(2, 3, 4, 5, 5, 3, 3, SH: 2, SW: 2, PT: 1, PL: 1, PB: 1, PR: 1, OPH: 1, OPW: 1) },
        { "asymmetric pads and dilation", new Case(1, 2, 5, 4, 3, 3, 2, SH: 1, SW: 3, DH: 2, DW: 2, PT: 2, PL: 0, PB: 1, PR: 3) },
        { "groups", new Case(1, 6, 4, 4, 4, 3, 3, SH: 2, SW: 2, PT: 1, PL: 1, PB: 0, PR: 0, Group: 2) },
        { "depthwise, no bias", new Case(1, 5, 3, 3, 5, 4, 4, SH: 2, SW: 2, PT: 1, PL: 1, PB: 1, PR: 1, Group: 5, Bias: false) },
        { "output padding with dilation", new Case(1, 3, 3, 3, 2, 2, 2, SH: 3, SW: 2, DH: 2, DW: 3, OPH: 2, OPW: 1) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_naive_NCHW_transposed_convolution(string name, Case c)
    {
        _ = name;
        var rng = new Random(TestSeed.Of(c.ToString()) & 0xffff);
        var x = Random(rng, c.N * c.C * c.H * c.W);
        var w = Random(rng, c.C * (c.M / c.Group) * c.KH * c.KW);
        var b = c.Bias ? Random(rng, c.M) : null;

        var p = new OpParams().Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.SH, c.SW).Set(ParamKey.Dilations, c.DH, c.DW)
            .Set(ParamKey.Pads, c.PT, c.PL, c.PB, c.PR).Set(ParamKey.OutputPadding, c.OPH, c.OPW).Set(ParamKey.Group, c.Group)
            .Set(ParamKey.Activation, (int)ActivationKind.LeakyRelu).Set(ParamKey.Alpha, 0.25f);
        var inputs = new List<TestTensor>
        {
            TestTensor.Input([c.N, c.H, c.W, c.C], ToNhwc(x, c.N, c.C, c.H, c.W)),
            TestTensor.Constant([c.C, c.KH, c.KW, c.M / c.Group], ToNhwc(w, c.C, c.M / c.Group, c.KH, c.KW)),
        };
        if (b is not null) inputs.Add(TestTensor.Constant([c.M], b));
        var y = ToNchw(OneOpModel.Run(OpCode.ConvTranspose2D, p, inputs, [c.N, c.OH, c.OW, c.M]), c.N, c.M, c.OH, c.OW);

        AssertClose(Naive(c, x, w, b).Select(v => v < 0 ? 0.25 * v : v).ToArray(), y, atol: 1e-5);
    }

    [Fact]
    public void Rejects_an_output_shape_that_does_not_follow_the_formula()
    {
        var c = new Case(1, 2, 3, 3, 2, 2, 2, SH: 2, SW: 2);
        var p = new OpParams().Set(ParamKey.Strides, 2, 2);
        var inputs = new[] { TestTensor.Input([1, 3, 3, 2], new float[18]), TestTensor.Constant([2, 2, 2, 2], new float[16]) };
        var e = Assert.Throws<ModelFormatException>(() => new Session(OneOpModel.Build(OpCode.ConvTranspose2D, p, inputs, [1, c.OH + 1, c.OW, 2])));
        Assert.Contains("output height", e.Message);
    }

    /// <summary>ONNX ConvTranspose from its definition, in double: each input pixel scatters into the output.</summary>
    private static double[] Naive(Case c, float[] x, float[] w, float[]? b)
    {
        int cpg = c.C / c.Group, mpg = c.M / c.Group;
        var y = new double[c.N * c.M * c.OH * c.OW];
        for (int n = 0; n < c.N; n++)
        for (int m = 0; m < c.M; m++)
        for (int i = 0; i < c.OH * c.OW; i++)
            y[(n * c.M + m) * c.OH * c.OW + i] = b?[m] ?? 0;
        for (int n = 0; n < c.N; n++)
        for (int ci = 0; ci < c.C; ci++)
        for (int ih = 0; ih < c.H; ih++)
        for (int iw = 0; iw < c.W; iw++)
        for (int mo = 0; mo < mpg; mo++)
        for (int kh = 0; kh < c.KH; kh++)
        for (int kw = 0; kw < c.KW; kw++)
        {
            int oh = ih * c.SH + kh * c.DH - c.PT, ow = iw * c.SW + kw * c.DW - c.PL;
            if (oh < 0 || oh >= c.OH || ow < 0 || ow >= c.OW) continue;
            int m = ci / cpg * mpg + mo;
            y[((n * c.M + m) * c.OH + oh) * c.OW + ow] +=
                (double)x[((n * c.C + ci) * c.H + ih) * c.W + iw] * w[((ci * mpg + mo) * c.KH + kh) * c.KW + kw];
        }
        return y;
    }
}
