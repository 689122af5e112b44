namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>NCHW↔NHWC transposes for the NHWC spatial op tests, which state the expected results in ONNX's
/// NCHW terms; random data and tolerance checks come from <see cref="GenericOpTestData"/>.</summary>
internal static class SpatialTestData
{
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
}
