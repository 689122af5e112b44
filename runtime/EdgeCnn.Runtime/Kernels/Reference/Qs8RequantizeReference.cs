using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Moves int8 values from one per-tensor quantization (s_x, zp_x) to another (s_y, zp_y):
/// y = clamp(zp_y + MultiplyByQuantizedMultiplier((x − zp_x) · 2²⁰, M, shift), −128, 127) with
/// (M, shift) = QuantizeMultiplier(s_x / (2²⁰ · s_y)). The 2²⁰ pre-shift (as in TFLite's Add) keeps the
/// high multiply's rounding far below one output step, so the result is x·s_x/s_y rounded once, up to ties.
/// </summary>
public static class Qs8RequantizeReference
{
    public const int InputLeftShift = 20;

    public static (int Multiplier, int Shift) Prepare(float inputScale, float outputScale) =>
        FixedPoint.QuantizeMultiplier(inputScale / ((double)(1 << InputLeftShift) * outputScale));

    public static void Run(ReadOnlySpan<sbyte> x, int xZeroPoint, int multiplier, int shift, int yZeroPoint, Span<sbyte> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            int scaled = FixedPoint.MultiplyByQuantizedMultiplier((x[i] - xZeroPoint) << InputLeftShift, multiplier, shift);
            y[i] = (sbyte)Math.Clamp(yZeroPoint + (long)scaled, sbyte.MinValue, sbyte.MaxValue);
        }
    }
}
