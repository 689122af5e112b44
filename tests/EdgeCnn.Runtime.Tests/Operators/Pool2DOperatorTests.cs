using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class Pool2DOperatorTests
{
    /// <summary>A pooling case in ONNX terms (NCHW), with ceil_mode deciding the output extent.</summary>
    public sealed record Case(int N, int C, int H, int W, int KH, int KW, int SH = 1, int SW = 1, int DH = 1, int DW = 1,
        int PT = 0, int PL = 0, int PB = 0, int PR = 0, bool Ceil = false)
    {
        public int OH => Extent(H, KH, SH, DH, PT + PB);
        public int OW => Extent(W, KW, SW, DW, PL + PR);

        private int Extent(int size, int k, int s, int d, int pads)
        {
            double v = (size + pads - d * (k - 1) - 1) / (double)s;
            return (int)(Ceil ? Math.Ceiling(v) : Math.Floor(v)) + 1;
        }
    }

    public static TheoryData<string, Case> Cases => new()
    {
        { "2x2 stride 2", new Case(1, 3, 6, 8, 2, 2, SH: 2, SW: 2) },
        { "3x3 stride 2 pads", new Case(2, 5, 7, 7, 3, 3, SH: 2, SW: 2, PT: 1, PL: 1, PB: 1, PR: 1) },
        { "asymmetric pads", new Case(1, 4, 5, 6, 3, 2, SH: 1, SW: 2, PT: 2, PL: 0, PB: 0, PR: 1) },
        { "ceil mode", new Case(1, 3, 6, 7, 3, 3, SH: 2, SW: 2, Ceil: true) },
        { "ceil mode with pads", new Case(1, 2, 5, 8, 2, 3, SH: 2, SW: 3, PT: 1, PL: 1, PB: 1, PR: 0, Ceil: true) },
        { "dilations", new Case(1, 3, 9, 8, 2, 3, SH: 1, SW: 2, DH: 3, DW: 2, PT: 1, PB: 2, Ceil: true) },
        { "window larger than stride, odd channels", new Case(1, 9, 8, 8, 5, 5, SH: 3, SW: 3, PT: 2, PL: 2, PB: 2, PR: 2) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxPool_matches_naive(string name, Case c)
    {
        _ = name;
        var x = Random(new Random(1), c.N * c.C * c.H * c.W);
        var y = Run(OpCode.MaxPool2D, c, x, new OpParams());
        AssertClose(Naive(c, x, taps => taps.Where(t => t.Real).Select(t => t.Value).DefaultIfEmpty(double.NegativeInfinity).Max()), y, 0, 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePool_excluding_pads_matches_naive(string name, Case c)
    {
        _ = name;
        var x = Random(new Random(2), c.N * c.C * c.H * c.W);
        var y = Run(OpCode.AveragePool2D, c, x, new OpParams().Set(ParamKey.CountIncludePad, 0));
        AssertClose(Naive(c, x, taps => taps.Where(t => t.Real).Select(t => t.Value).DefaultIfEmpty(0).Average()), y, atol: 1e-5);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePool_including_pads_matches_naive(string name, Case c)
    {
        _ = name;
        var x = Random(new Random(3), c.N * c.C * c.H * c.W);
        var y = Run(OpCode.AveragePool2D, c, x, new OpParams().Set(ParamKey.CountIncludePad, 1));
        // Pads count as zeros; the part of a ceil_mode window beyond the padded input counts not at all.
        AssertClose(Naive(c, x, taps =>
        {
            var counted = taps.Where(t => t.InPaddedInput).ToList();
            return counted.Count == 0 ? 0 : counted.Sum(t => t.Real ? t.Value : 0) / counted.Count;
        }), y, atol: 1e-5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LpPool_matches_naive(int p)
    {
        var c = new Case(1, 5, 7, 6, 3, 2, SH: 2, SW: 1, PT: 1, PL: 1, PB: 1, PR: 0);
        var x = Random(new Random(4), c.N * c.C * c.H * c.W);
        var y = Run(OpCode.LpPool2D, c, x, new OpParams().Set(ParamKey.P, p));
        AssertClose(Naive(c, x, taps => Math.Pow(taps.Where(t => t.Real).Sum(t => Math.Pow(Math.Abs(t.Value), p)), 1.0 / p)), y, atol: 1e-5);
    }

    [Fact]
    public void Global_pools_reduce_every_pixel()
    {
        int n = 2, ch = 7, h = 5, w = 6;
        var x = Random(new Random(5), n * ch * h * w);
        var nhwc = ToNhwc(x, n, ch, h, w);
        var expectedMean = new double[n * ch];
        var expectedMax = new double[n * ch];
        for (int i = 0; i < n * ch; i++)
        {
            var plane = x.Skip(i * h * w).Take(h * w).ToArray();
            expectedMean[i] = plane.Average(v => (double)v);
            expectedMax[i] = plane.Max();
        }
        var input = new[] { TestTensor.Input([n, h, w, ch], nhwc) };
        AssertClose(expectedMean, OneOpModel.Run(OpCode.GlobalAveragePool, new OpParams(), input, [n, 1, 1, ch]), atol: 1e-5);
        AssertClose(expectedMax, OneOpModel.Run(OpCode.GlobalMaxPool, new OpParams(), input, [n, 1, 1, ch]), 0, 0);
    }

    [Fact]
    public void Global_average_stays_accurate_over_a_large_image()
    {
        // 512·512 positive values: a float running sum would drift by far more than the tolerance.
        int h = 512, w = 512;
        var x = Random(new Random(6), h * w, 0.5f, 1.5f);
        double expected = x.Average(v => (double)v);
        var y = OneOpModel.Run(OpCode.GlobalAveragePool, new OpParams(), [TestTensor.Input([1, h, w, 1], x)], [1, 1, 1, 1]);
        AssertClose([expected], y, 1e-6, 0);
    }

    private static float[] Run(OpCode code, Case c, float[] x, OpParams p)
    {
        p.Set(ParamKey.Kernel, c.KH, c.KW).Set(ParamKey.Strides, c.SH, c.SW).Set(ParamKey.Dilations, c.DH, c.DW)
            .Set(ParamKey.Pads, c.PT, c.PL, c.PB, c.PR);
        var y = OneOpModel.Run(code, p, [TestTensor.Input([c.N, c.H, c.W, c.C], ToNhwc(x, c.N, c.C, c.H, c.W))], [c.N, c.OH, c.OW, c.C]);
        return ToNchw(y, c.N, c.C, c.OH, c.OW);
    }

    private readonly record struct Tap(double Value, bool Real, bool InPaddedInput);

    /// <summary>Applies <paramref name="reduce"/> to every window of the NCHW input; each tap says whether it is a
    /// real pixel and whether it lies inside the padded input.</summary>
    private static double[] Naive(Case c, float[] x, Func<List<Tap>, double> reduce)
    {
        var y = new double[c.N * c.C * c.OH * c.OW];
        var taps = new List<Tap>();
        for (int n = 0; n < c.N; n++)
        for (int ch = 0; ch < c.C; ch++)
        for (int oh = 0; oh < c.OH; oh++)
        for (int ow = 0; ow < c.OW; ow++)
        {
            taps.Clear();
            for (int kh = 0; kh < c.KH; kh++)
            for (int kw = 0; kw < c.KW; kw++)
            {
                int ih = oh * c.SH - c.PT + kh * c.DH, iw = ow * c.SW - c.PL + kw * c.DW;
                bool real = ih >= 0 && ih < c.H && iw >= 0 && iw < c.W;
                bool padded = ih >= -c.PT && ih < c.H + c.PB && iw >= -c.PL && iw < c.W + c.PR;
                taps.Add(new Tap(real ? x[((n * c.C + ch) * c.H + ih) * c.W + iw] : 0, real, padded));
            }
            y[((n * c.C + ch) * c.OH + oh) * c.OW + ow] = reduce(taps);
        }
        return y;
    }
}
