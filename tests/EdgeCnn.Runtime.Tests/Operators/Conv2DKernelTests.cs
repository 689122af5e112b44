using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>The fast convolution kernels against <see cref="F32Conv2DReference"/> on random data over many
/// geometries, with a sentinel zone after the output to catch overruns.</summary>
public sealed class Conv2DKernelTests
{
    private const int Guard = 37;

    public enum Kind { Any, Depthwise, Pointwise }

    [Theory]
    [InlineData(Kind.Any, 11)]
    [InlineData(Kind.Depthwise, 12)]
    [InlineData(Kind.Pointwise, 13)]
    public void Fast_kernels_match_the_reference(Kind kind, int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 150; trial++)
        {
            var g = RandomGeometry(rng, kind);
            var x = Random(rng, g.InputLength);
            var w = Random(rng, g.OutChannels * g.KernelHeight * g.KernelWidth * g.InGroupChannels);
            var b = rng.Next(2) == 0 ? [] : Random(rng, g.OutChannels);
            var expected = new float[g.OutputLength];
            F32Conv2DReference.Run(g, x, w, b, expected);
            var magnitude = new float[g.OutputLength];
            F32Conv2DReference.Run(g, Abs(x), Abs(w), Abs(b), magnitude);

            var direct = Sentinel(g.OutputLength);
            F32Conv2DDirectVector.Run(g, x, w, b, ActivationKind.None, 0, 0, direct.AsSpan(0, g.OutputLength));
            Check(g, "direct", expected, magnitude, direct);
            if (kind == Kind.Depthwise)
            {
                var y = Sentinel(g.OutputLength);
                F32DepthwiseConv2DVector.Run(g, x, F32DepthwiseConv2DVector.PackWeights(g, w), b, ActivationKind.None, 0, 0, y.AsSpan(0, g.OutputLength));
                Check(g, "depthwise", expected, magnitude, y);
            }
            if (F32Conv2DBroadcastVector.Supports(g))
            {
                var y = Sentinel(g.OutputLength);
                F32Conv2DBroadcastVector.Run(g, x, F32Conv2DBroadcastVector.PackWeights(g, w), b, ActivationKind.None, 0, 0, y.AsSpan(0, g.OutputLength));
                Check(g, "broadcast", expected, magnitude, y);
            }
            if (kind == Kind.Pointwise)
            {
                var y = Sentinel(g.OutputLength);
                F32Conv1x1Vector.Run(g, x, w, b, ActivationKind.None, 0, 0, y.AsSpan(0, g.OutputLength));
                Check(g, "pointwise", expected, magnitude, y);
            }
        }
    }

    [Fact]
    public void Fast_kernels_apply_the_activation_to_every_output()
    {
        var rng = new Random(5);
        var depthwise = new Spatial2DGeometry(1, 7, 6, 19, 7, 6, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 19);
        var pointwise = new Spatial2DGeometry(1, 5, 3, 10, 5, 3, 13, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
        var stem = new Spatial2DGeometry(1, 9, 8, 3, 5, 4, 20, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1);
        foreach (var g in new[] { depthwise, pointwise, stem })
        {
            var x = Random(rng, g.InputLength, -4f, 4f);
            var w = Random(rng, g.OutChannels * g.KernelHeight * g.KernelWidth * g.InGroupChannels);
            var b = Random(rng, g.OutChannels);
            var expected = new float[g.OutputLength];
            F32Conv2DReference.Run(g, x, w, b, expected);
            F32Activation.Apply(ActivationKind.HardSwish, 0, 0, expected);

            var direct = new float[g.OutputLength];
            F32Conv2DDirectVector.Run(g, x, w, b, ActivationKind.HardSwish, 0, 0, direct);
            var fast = new float[g.OutputLength];
            if (g.Group > 1) F32DepthwiseConv2DVector.Run(g, x, F32DepthwiseConv2DVector.PackWeights(g, w), b, ActivationKind.HardSwish, 0, 0, fast);
            else if (g.KernelHeight > 1) F32Conv2DBroadcastVector.Run(g, x, F32Conv2DBroadcastVector.PackWeights(g, w), b, ActivationKind.HardSwish, 0, 0, fast);
            else F32Conv1x1Vector.Run(g, x, w, b, ActivationKind.HardSwish, 0, 0, fast);

            AssertClose(expected.Select(v => (double)v).ToArray(), direct, 1e-5, 1e-5);
            AssertClose(expected.Select(v => (double)v).ToArray(), fast, 1e-5, 1e-5);
        }
    }

    private static Spatial2DGeometry RandomGeometry(Random rng, Kind kind)
    {
        int n = rng.Next(1, 3);
        int group, cin, cout, kh, kw, sh = 1, sw = 1, dh = 1, dw = 1, pt = 0, pl = 0, pb = 0, pr = 0;
        if (kind == Kind.Pointwise)
        {
            (group, cin, cout, kh, kw) = (1, rng.Next(1, 80), rng.Next(1, 70), 1, 1);
        }
        else
        {
            if (kind == Kind.Depthwise)
            {
                cin = rng.Next(2, 40);
                group = cin;
                cout = cin * (rng.Next(4) == 0 ? rng.Next(2, 4) : 1);
            }
            else
            {
                group = rng.Next(3) == 0 ? rng.Next(2, 5) : 1;
                cin = group * rng.Next(1, 12);
                cout = group == 1 ? rng.Next(1, 45) : group * rng.Next(1, 8);
            }
            (kh, kw) = (rng.Next(1, 6), rng.Next(1, 6));
            (sh, sw, dh, dw) = (rng.Next(1, 4), rng.Next(1, 4), rng.Next(1, 4), rng.Next(1, 3));
            (pt, pl, pb, pr) = (rng.Next(0, 4), rng.Next(0, 4), rng.Next(0, 4), rng.Next(0, 4));
        }
        int h = Math.Max(1, dh * (kh - 1) + 1 - pt - pb + rng.Next(0, 9));
        int w = Math.Max(1, dw * (kw - 1) + 1 - pl - pr + rng.Next(0, 9));
        int oh = (h + pt + pb - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + pl + pr - dw * (kw - 1) - 1) / sw + 1;
        return new Spatial2DGeometry(n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, group);
    }

    private static void Check(in Spatial2DGeometry g, string kernel, float[] expected, float[] magnitude, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            float error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= 1e-5f * magnitude[i] + 1e-7f,
                $"{kernel} kernel, {g}: output {i} is {actual[i]:R}, reference {expected[i]:R}");
        }
        for (int i = expected.Length; i < actual.Length; i++)
            Assert.True(float.IsNaN(actual[i]) && BitConverter.SingleToInt32Bits(actual[i]) == SentinelBits,
                $"{kernel} kernel, {g}: wrote past the output at {i}");
    }

    private const int SentinelBits = 0x7fc0_1234;

    private static float[] Sentinel(int length)
    {
        var y = new float[length + Guard];
        Array.Fill(y, BitConverter.Int32BitsToSingle(SentinelBits));
        return y;
    }

    private static float[] Abs(float[] v) => v.Select(Math.Abs).ToArray();
}
