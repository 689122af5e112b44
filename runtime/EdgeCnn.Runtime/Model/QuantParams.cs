namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Affine quantization of a tensor: real = scale · (q − zeroPoint). Per-tensor when
/// <see cref="Scales"/> has one entry (then <see cref="Axis"/> is −1); per-channel along
/// <see cref="Axis"/> otherwise (one scale and zero point per index of that axis).
///
/// The int8 scheme EdgeCnn uses (TFLite-compatible; docs/quantization.md is the full text):
/// - Weights: Int8, symmetric (zero point 0, values in [−127, 127]), per output channel (axis 0 of
///   Conv2D W[Cout,KH,KW,Cin/g] and FullyConnected W[Cout,K]) or per tensor.
/// - Activations: Int8, asymmetric, per tensor.
/// - Bias: Int32, zero point 0, scale = s_in · s_w[c] (per channel when the weights are).
/// - Requantization: the real multiplier (e.g. s_in·s_w[c]/s_out) becomes a 32-bit fixed-point
///   multiplier and a shift, computed once in Prepare by Quantization.FixedPoint (shared with the
///   quantizer); kernels use only integer arithmetic, so outputs are identical bytes on every ISA.
/// An op with Int8 inputs runs its int8 variant; its semantics are documented on <see cref="OpCode"/>.
/// </summary>
public sealed class QuantParams
{
    public QuantParams(float[] scales, int[] zeroPoints, int axis = -1)
    {
        Scales = scales;
        ZeroPoints = zeroPoints;
        Axis = axis;
    }

    public float[] Scales { get; }
    public int[] ZeroPoints { get; }
    /// <summary>The channel axis for per-channel params; −1 for per-tensor.</summary>
    public int Axis { get; }

    public bool IsPerTensor => Axis < 0;
    public float Scale => Scales[0];
    public int ZeroPoint => ZeroPoints[0];

    public static QuantParams PerTensor(float scale, int zeroPoint) => new([scale], [zeroPoint]);

    public override string ToString() => IsPerTensor
        ? $"scale {Scale:G6} zp {ZeroPoint}"
        : $"per-channel axis {Axis} ({Scales.Length} scales)";
}
