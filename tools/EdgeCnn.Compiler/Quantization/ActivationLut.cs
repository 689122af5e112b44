using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The 256-entry table that replaces an element-wise function on int8 data:
/// lut[q + 128] = quantize_out(f(dequantize_in(q))) for every q in [−128, 127], with f in double precision
/// and round-half-to-even (<see cref="QuantScheme.Quantize"/>). The runtime's int8 Unary only indexes it.
/// </summary>
public static class ActivationLut
{
    public const int Length = 256;

    public static long[] Build(ActivationKind kind, float? alpha, float? beta, QuantParams input, QuantParams output)
    {
        if (!input.IsPerTensor || !output.IsPerTensor)
            throw new ArgumentException("a lookup table maps one per-tensor quantization to another");
        var table = new long[Length];
        for (int q = QuantScheme.Int8Min; q <= QuantScheme.Int8Max; q++)
        {
            double x = QuantScheme.Dequantize(q, input.Scale, input.ZeroPoint);
            double y = DoubleActivation.Apply(kind, alpha, beta, x);
            table[q - QuantScheme.Int8Min] = QuantScheme.Quantize(y, output.Scale, output.ZeroPoint);
        }
        return table;
    }
}
