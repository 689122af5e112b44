namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>Test data for the NHWC spatial ops: random tensors, NCHW↔NHWC transposes (the tests state the
/// expected results in ONNX's NCHW terms), and a tolerance check with a useful message.</summary>
internal static class SpatialTestData
{
    public static float[] Random(Random rng, int count, float low = -1f, float high = 1f)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = low + (float)rng.NextDouble() * (high - low);
        return data;
    }

    /// <summary>[N,C,H,W] → [N,H,W,C]. Also turns ONNX conv weights [M,C,KH,KW] into the runtime's [M,KH,KW,C].</summary>
    public static float[] ToNhwc(float[] nchw, int n, int c, int h, int w)
    {
        var result = new float[nchw.Length];
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            result[((b * h + y) * w + x) * c + ch] = nchw[((b * c + ch) * h + y) * w + x];
        return result;
    }

    /// <summary>[N,H,W,C] → [N,C,H,W].</summary>
    public static float[] ToNchw(float[] nhwc, int n, int c, int h, int w)
    {
        var result = new float[nhwc.Length];
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            result[((b * c + ch) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + ch];
        return result;
    }

    /// <summary>|actual − expected| ≤ atol + rtol·|expected| everywhere (NaN only where NaN is expected).</summary>
    public static void AssertClose(double[] expected, float[] actual, double rtol = 1e-5, double atol = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(float.IsNaN(actual[i]), $"element {i}: expected NaN, got {actual[i]}");
                continue;
            }
            if (double.IsInfinity(expected[i]))
            {
                Assert.True(expected[i] == actual[i], $"element {i}: expected {expected[i]}, got {actual[i]}");
                continue;
            }
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= atol + rtol * Math.Abs(expected[i]),
                $"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }
}
