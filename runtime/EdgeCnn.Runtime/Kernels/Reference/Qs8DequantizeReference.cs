namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>Int8 → float32 with per-tensor params: x = (q − zeroPoint) · scale, one float32 multiplication
/// (q − zeroPoint is exact in float32, so this is the correctly rounded real value).</summary>
public static class Qs8DequantizeReference
{
    public static void Run(ReadOnlySpan<sbyte> q, float scale, int zeroPoint, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = (q[i] - zeroPoint) * scale;
    }
}
