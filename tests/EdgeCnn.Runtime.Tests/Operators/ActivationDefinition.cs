using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>Every <see cref="ActivationKind"/> as its ONNX formula in double, written independently of the
/// runtime's kernels (erf by numerical integration); the activation, unary and fused-activation tests compare
/// against it.</summary>
internal static class ActivationDefinition
{
    public static double Apply(ActivationKind kind, double v, double alpha, double beta) => kind switch
    {
        ActivationKind.None => v,
        ActivationKind.Relu => Math.Max(v, 0),
        ActivationKind.Clip => Math.Min(Math.Max(v, alpha), beta),
        ActivationKind.LeakyRelu => v < 0 ? alpha * v : v,
        ActivationKind.HardSigmoid => Math.Max(0, Math.Min(1, alpha * v + beta)),
        ActivationKind.HardSwish => v * Math.Max(0, Math.Min(1, v / 6 + 0.5)),
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-v)),
        ActivationKind.Tanh => Math.Tanh(v),
        ActivationKind.Sqrt => Math.Sqrt(v),
        ActivationKind.Exp => Math.Exp(v),
        ActivationKind.Log => Math.Log(v),
        ActivationKind.Abs => Math.Abs(v),
        ActivationKind.Neg => -v,
        ActivationKind.Reciprocal => 1 / v,
        ActivationKind.Floor => Math.Floor(v),
        ActivationKind.Ceil => Math.Ceiling(v),
        ActivationKind.Elu => v < 0 ? alpha * (Math.Exp(v) - 1) : v,
        ActivationKind.Softplus => Math.Log(1 + Math.Exp(v)),
        ActivationKind.Erf => ErfByIntegration(v),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>erf(x) = 2/√π ∫₀ˣ e^(−t²) dt by Simpson's rule, independent of the series the kernel uses.</summary>
    private static double ErfByIntegration(double x)
    {
        const int steps = 20000;
        double h = x / steps, sum = 0;
        for (int i = 0; i <= steps; i++)
        {
            double weight = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            double t = i * h;
            sum += weight * Math.Exp(-t * t);
        }
        return sum * h / 3 * 2 / Math.Sqrt(Math.PI);
    }
}
