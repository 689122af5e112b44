using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The element-wise functions an int8 Unary can run as a lookup table, evaluated in double precision at
/// compile time (the table is the only place the function exists in an int8 model). Alpha/Beta follow
/// <see cref="ActivationKind"/>'s documentation and default to ONNX's values as the float runtime does.
/// </summary>
public static class DoubleActivation
{
    /// <summary>Whether <paramref name="kind"/> can become a table: finite for every finite input.
    /// Sqrt, Log and Reciprocal are not (0 and negatives are in every activation range); Exp and Erf stay
    /// float because their tables would be mostly saturated or need a special function the BCL lacks.</summary>
    public static bool CanTabulate(ActivationKind kind) => kind is ActivationKind.Relu or ActivationKind.Clip
        or ActivationKind.LeakyRelu or ActivationKind.HardSigmoid or ActivationKind.HardSwish or ActivationKind.Sigmoid
        or ActivationKind.Tanh or ActivationKind.Elu or ActivationKind.Softplus or ActivationKind.Abs or ActivationKind.Neg;

    public static double Apply(ActivationKind kind, float? alpha, float? beta, double x)
    {
        double a = alpha ?? F32Activation.DefaultAlpha(kind);
        double b = beta ?? F32Activation.DefaultBeta(kind);
        return kind switch
        {
            ActivationKind.Relu => Math.Max(x, 0),
            ActivationKind.Clip => Math.Min(Math.Max(x, a), b),
            ActivationKind.LeakyRelu => x < 0 ? a * x : x,
            ActivationKind.HardSigmoid => Math.Max(0, Math.Min(1, a * x + b)),
            ActivationKind.HardSwish => x * Math.Max(0, Math.Min(1, x / 6 + 0.5)),
            ActivationKind.Sigmoid => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)),
            ActivationKind.Tanh => Math.Tanh(x),
            ActivationKind.Elu => x < 0 ? a * double.ExpM1(x) : x,
            ActivationKind.Softplus => x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x)),
            ActivationKind.Abs => Math.Abs(x),
            ActivationKind.Neg => -x,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no table form for this activation"),
        };
    }
}
