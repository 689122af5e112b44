using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The int8 scheme's compile-time arithmetic (docs/quantization.md, "Scheme"). Every rounding here is
/// round-half-to-even in double precision on the float32 scale that is stored in the model, so what the
/// model says (scale, zero point) is exactly what the integers were derived from.
/// </summary>
public static class QuantScheme
{
    public const int Int8Min = -128;
    public const int Int8Max = 127;
    /// <summary>Weights stay in [−127, 127] so that negating a weight never overflows.</summary>
    public const int WeightMax = 127;

    /// <summary>Below this width a range is taken as all zeros (its scale would underflow float32).</summary>
    private const double MinimumWidth = 1e-30;

    /// <summary>
    /// Asymmetric per-tensor params for an activation whose real values lie in <paramref name="range"/>:
    /// the range is first widened to hold 0 (so real 0 — padding, Relu's floor — is exact), then
    /// scale = (max − min) / 255 and zero point = roundHalfEven(−128 − min / scale), clamped to [−128, 127]:
    /// min maps to −128 and max to 127. An all-zero range gets scale 1, zero point −128.
    /// </summary>
    public static QuantParams ForActivation(TensorRange range)
    {
        if (!float.IsFinite(range.Min) || !float.IsFinite(range.Max) || range.Min > range.Max)
            throw new ArgumentException($"range [{range.Min}, {range.Max}] is not a finite interval");
        double min = Math.Min(range.Min, 0.0), max = Math.Max(range.Max, 0.0);
        if (max - min < MinimumWidth) return QuantParams.PerTensor(1f, Int8Min);
        float scale = (float)((max - min) / 255.0);
        int zeroPoint = (int)Math.Clamp(Math.Round(Int8Min - min / scale, MidpointRounding.ToEven), Int8Min, Int8Max);
        return QuantParams.PerTensor(scale, zeroPoint);
    }

    /// <summary>The real interval a per-tensor int8 quantization can represent: [s·(−128 − zp), s·(127 − zp)].</summary>
    public static TensorRange RepresentableRange(QuantParams q) =>
        new((float)Dequantize(Int8Min, q.Scale, q.ZeroPoint), (float)Dequantize(Int8Max, q.Scale, q.ZeroPoint));

    /// <summary>q = clamp(roundHalfEven(x / scale) + zeroPoint, −128, 127); NaN maps to the zero point.</summary>
    public static int Quantize(double x, float scale, int zeroPoint)
    {
        if (double.IsNaN(x)) return zeroPoint;
        double q = Math.Round(x / scale, MidpointRounding.ToEven) + zeroPoint;
        return (int)Math.Clamp(q, Int8Min, Int8Max);
    }

    /// <summary>x = scale · (q − zeroPoint).</summary>
    public static double Dequantize(int q, float scale, int zeroPoint) => (double)scale * (q - zeroPoint);

    /// <summary>
    /// Symmetric int8 weights: per output channel (axis 0, the runtime's weight layout for Conv2D and
    /// FullyConnected) or per tensor. scale = max|w| / 127 and q = clamp(roundHalfEven(w / scale), −127, 127).
    /// A channel whose weights are all zero gets the smallest scale of the other channels (1 when every
    /// channel is zero): its integers are 0 whatever the scale, and a small scale keeps the bias fine-grained.
    /// A channel's scale is raised to <paramref name="minimumScales"/>[c] when given (the floor that keeps its int32 bias
    /// in range, see <see cref="BiasScaleFloors"/>).
    /// </summary>
    public static (long[] Values, QuantParams Quant) QuantizeWeights(float[] weights, int[] shape, bool perChannel, double[]? minimumScales = null)
    {
        int channels = perChannel ? shape[0] : 1;
        if (channels <= 0 || weights.Length % channels != 0)
            throw new ArgumentException($"weights of shape [{string.Join(',', shape)}] cannot be split into {channels} channels");
        int inner = weights.Length / channels;
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double maxAbs = 0;
            for (int i = 0; i < inner; i++)
            {
                float w = weights[c * inner + i];
                if (!float.IsFinite(w)) throw new ArgumentException($"weight {c * inner + i} is {w}");
                maxAbs = Math.Max(maxAbs, Math.Abs(w));
            }
            scales[c] = (float)(maxAbs / WeightMax);
        }
        float fallback = scales.Where(s => s > 0).DefaultIfEmpty(1f).Min();
        for (int c = 0; c < channels; c++)
            if (!(scales[c] > 0)) scales[c] = fallback;
        if (minimumScales is not null)
        {
            if (minimumScales.Length != shape[0])
                throw new ArgumentException($"{minimumScales.Length} minimum scales for {shape[0]} output channels");
            for (int c = 0; c < shape[0]; c++)
            {
                int channel = perChannel ? c : 0;
                scales[channel] = (float)Math.Max(scales[channel], minimumScales[c]);
            }
        }

        var values = new long[weights.Length];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < inner; i++)
            {
                double q = Math.Round(weights[c * inner + i] / (double)scales[c], MidpointRounding.ToEven);
                values[c * inner + i] = (long)Math.Clamp(q, -WeightMax, WeightMax);
            }
        var quant = perChannel ? new QuantParams(scales, new int[channels], axis: 0) : QuantParams.PerTensor(scales[0], 0);
        return (values, quant);
    }

    /// <summary>Largest |int32 bias| the weight scales allow: half of int32, leaving the other half to the sum of
    /// input × weight products that the kernels add to it.</summary>
    public const double BiasLimit = 1 << 30;

    /// <summary>
    /// Per output channel, the smallest weight scale that keeps |b / (s_in · s_w)| within <see cref="BiasLimit"/>. A channel
    /// whose weights are almost zero next to its bias (a dead channel of a trained model, where the bias alone sets the
    /// output) would otherwise need a bias beyond int32, which saturates and breaks the runtime's accumulator bound.
    /// </summary>
    public static double[] BiasScaleFloors(float[] bias, float inputScale)
    {
        var floors = new double[bias.Length];
        for (int c = 0; c < bias.Length; c++)
            floors[c] = float.IsFinite(bias[c]) ? Math.Abs(bias[c]) / ((double)inputScale * BiasLimit) : 0;
        return floors;
    }

    /// <summary>
    /// Int32 bias with scale s_in · s_w[c] (zero point 0): q = roundHalfEven(b / (s_in · s_w[c])), saturated to
    /// int32. The product is taken in double from the stored float32 scales, as the runtime's requantization does.
    /// </summary>
    public static (long[] Values, QuantParams Quant) QuantizeBias(float[] bias, float inputScale, QuantParams weights)
    {
        int channels = bias.Length;
        if (!weights.IsPerTensor && weights.Scales.Length != channels)
            throw new ArgumentException($"bias has {channels} values, the weights have {weights.Scales.Length} channel scales");
        var values = new long[channels];
        var scales = new float[weights.IsPerTensor ? 1 : channels];
        for (int c = 0; c < channels; c++)
        {
            double scale = (double)inputScale * (weights.IsPerTensor ? weights.Scale : weights.Scales[c]);
            if (!float.IsFinite(bias[c])) throw new ArgumentException($"bias {c} is {bias[c]}");
            double q = Math.Round(bias[c] / scale, MidpointRounding.ToEven);
            values[c] = (long)Math.Clamp(q, int.MinValue, int.MaxValue);
            if (c < scales.Length) scales[c] = (float)scale;
        }
        var quant = weights.IsPerTensor ? QuantParams.PerTensor(scales[0], 0) : new QuantParams(scales, new int[channels], axis: 0);
        return (values, quant);
    }

    /// <summary>Quantizes a constant activation-like operand (a Binary's constant input) per tensor with
    /// <paramref name="quant"/>.</summary>
    public static long[] QuantizeTensor(float[] values, QuantParams quant)
    {
        var q = new long[values.Length];
        for (int i = 0; i < values.Length; i++) q[i] = Quantize(values[i], quant.Scale, quant.ZeroPoint);
        return q;
    }

    /// <summary>The range of a constant's values (for its own per-tensor params).</summary>
    public static TensorRange RangeOf(float[] values)
    {
        if (values.Length == 0) return new TensorRange(0, 0);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"constant holds {v}");
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return new TensorRange(min, max);
    }
}
