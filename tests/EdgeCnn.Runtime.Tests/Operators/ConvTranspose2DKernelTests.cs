using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>The gather kernel for transposed convolution against the scatter reference, over random geometries,
/// with a sentinel zone after the output.</summary>
public sealed class ConvTranspose2DKernelTests
{
    private const int Guard = 19;
    private const int SentinelBits = 0x7fc0_4321;

    [Fact]
    public void Gather_kernel_matches_the_scatter_reference()
    {
        var rng = new Random(21);
        for (int trial = 0; trial < 200; trial++)
        {
            int group = rng.Next(4) == 0 ? rng.Next(2, 4) : 1;
            int cin = group * rng.Next(1, 12), cout = group * rng.Next(1, 9);
            int kh = rng.Next(1, 5), kw = rng.Next(1, 5), sh = rng.Next(1, 4), sw = rng.Next(1, 4), dh = rng.Next(1, 3), dw = rng.Next(1, 3);
            int h = rng.Next(1, 7), w = rng.Next(1, 7);
            int oph = rng.Next(Math.Max(sh, dh)), opw = rng.Next(Math.Max(sw, dw));
            int pt = rng.Next(0, kh), pb = rng.Next(0, kh), pl = rng.Next(0, kw), pr = rng.Next(0, kw);
            int oh = sh * (h - 1) + oph + dh * (kh - 1) + 1 - pt - pb;
            int ow = sw * (w - 1) + opw + dw * (kw - 1) + 1 - pl - pr;
            if (oh < 1 || ow < 1) continue;
            var g = new Spatial2DGeometry(rng.Next(1, 3), h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, group);
            var x = Random(rng, g.InputLength);
            var weights = Random(rng, cin * kh * kw * (cout / group));
            var b = rng.Next(2) == 0 ? [] : Random(rng, cout);

            var expected = new float[g.OutputLength];
            F32ConvTranspose2DReference.Run(g, x, weights, b, expected);
            var magnitude = new float[g.OutputLength];
            F32ConvTranspose2DReference.Run(g, Abs(x), Abs(weights), Abs(b), magnitude);
            var actual = new float[g.OutputLength + Guard];
            Array.Fill(actual, BitConverter.Int32BitsToSingle(SentinelBits));
            F32ConvTranspose2DVector.Run(g, x, F32ConvTranspose2DVector.PackWeights(g, weights), b, ActivationKind.None, 0, 0,
                actual.AsSpan(0, g.OutputLength));

            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5f * magnitude[i] + 1e-7f, $"{g}: output {i} is {actual[i]:R}, reference {expected[i]:R}");
            for (int i = expected.Length; i < actual.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(actual[i]) == SentinelBits, $"{g}: wrote past the output at {i}");
        }
    }

    private static float[] Abs(float[] v) => v.Select(Math.Abs).ToArray();
}
