using System.Numerics;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Every <see cref="ActivationKind"/> as a float32 function, shared by the fused conv/gemm outputs and
/// the standalone Unary op. Alpha and Beta are read as documented on the enum; callers resolve ONNX
/// defaults with <see cref="DefaultAlpha"/> / <see cref="DefaultBeta"/>. The piecewise-linear kinds are
/// vectorized (they are the ones fused into convolutions); the others run the scalar function.
/// </summary>
public static class F32Activation
{
    /// <summary>Whether <paramref name="kind"/> is a value this runtime knows (file input is untrusted).</summary>
    public static bool IsKnown(ActivationKind kind) => kind switch
    {
        ActivationKind.None or ActivationKind.Relu or ActivationKind.Clip or ActivationKind.LeakyRelu
            or ActivationKind.HardSigmoid or ActivationKind.HardSwish or ActivationKind.Sigmoid or ActivationKind.Tanh
            or ActivationKind.Sqrt or ActivationKind.Exp or ActivationKind.Log or ActivationKind.Abs or ActivationKind.Neg
            or ActivationKind.Reciprocal or ActivationKind.Floor or ActivationKind.Ceil or ActivationKind.Elu
            or ActivationKind.Softplus or ActivationKind.Erf => true,
        _ => false,
    };

    /// <summary>ONNX's default alpha for the kind (used when the model stores none).</summary>
    public static float DefaultAlpha(ActivationKind kind) => kind switch
    {
        ActivationKind.Clip => float.NegativeInfinity,
        ActivationKind.LeakyRelu => 0.01f,
        ActivationKind.HardSigmoid => 0.2f,
        ActivationKind.Elu => 1f,
        _ => 0f,
    };

    /// <summary>ONNX's default beta for the kind (used when the model stores none).</summary>
    public static float DefaultBeta(ActivationKind kind) => kind switch
    {
        ActivationKind.Clip => float.PositiveInfinity,
        ActivationKind.HardSigmoid => 0.5f,
        _ => 0f,
    };

    /// <summary>The function applied to one value.</summary>
    public static float Apply(ActivationKind kind, float alpha, float beta, float x) => kind switch
    {
        ActivationKind.None => x,
        ActivationKind.Relu => MathF.Max(x, 0f),
        // Max/Min rather than Math.Clamp: Clamp throws when min > max, and NaN must propagate.
        ActivationKind.Clip => MathF.Min(MathF.Max(x, alpha), beta),
        ActivationKind.LeakyRelu => x < 0f ? alpha * x : x,
        ActivationKind.HardSigmoid => MathF.Max(0f, MathF.Min(1f, alpha * x + beta)),
        ActivationKind.HardSwish => x * MathF.Max(0f, MathF.Min(1f, x * (1f / 6f) + 0.5f)),
        ActivationKind.Sigmoid => Sigmoid(x),
        ActivationKind.Tanh => MathF.Tanh(x),
        ActivationKind.Sqrt => MathF.Sqrt(x),
        ActivationKind.Exp => MathF.Exp(x),
        ActivationKind.Log => MathF.Log(x),
        ActivationKind.Abs => MathF.Abs(x),
        ActivationKind.Neg => -x,
        ActivationKind.Reciprocal => 1f / x,
        ActivationKind.Floor => MathF.Floor(x),
        ActivationKind.Ceil => MathF.Ceiling(x),
        ActivationKind.Elu => x < 0f ? (float)(alpha * (Math.Exp(x) - 1.0)) : x,
        ActivationKind.Softplus => Softplus(x),
        ActivationKind.Erf => Erf(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation kind"),
    };

    /// <summary>Applies the function in place.</summary>
    public static void Apply(ActivationKind kind, float alpha, float beta, Span<float> data)
    {
        if (kind != ActivationKind.None) Apply(kind, alpha, beta, data, data);
    }

    /// <summary>y = f(x); <paramref name="y"/> may be the same memory as <paramref name="x"/>.</summary>
    public static void Apply(ActivationKind kind, float alpha, float beta, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException("source and destination lengths differ");
        switch (kind)
        {
            case ActivationKind.None:
                x.CopyTo(y);
                return;
            case ActivationKind.Relu:
                Clamp(x, y, 0f, float.PositiveInfinity);
                return;
            case ActivationKind.Clip:
                Clamp(x, y, alpha, beta);
                return;
            case ActivationKind.LeakyRelu:
                LeakyRelu(x, y, alpha);
                return;
            case ActivationKind.HardSigmoid:
                HardSigmoid(x, y, alpha, beta);
                return;
            case ActivationKind.HardSwish:
                HardSwish(x, y);
                return;
            default:
                if (!IsKnown(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation kind");
                for (int i = 0; i < x.Length; i++) y[i] = Apply(kind, alpha, beta, x[i]);
                return;
        }
    }

    private static float Sigmoid(float x)
    {
        // Written on the negative side so exp never overflows to inf/inf.
        if (x >= 0f) return 1f / (1f + MathF.Exp(-x));
        float e = MathF.Exp(x);
        return e / (1f + e);
    }

    private static float Softplus(float x)
    {
        // log(1 + e^x) = max(x, 0) + log1p(e^-|x|); the series keeps tiny e^-|x| from vanishing in 1 + e.
        double e = Math.Exp(-Math.Abs((double)x));
        double log1p = e < 1e-5 ? e - 0.5 * e * e : Math.Log(1.0 + e);
        return (float)(Math.Max(x, 0.0) + log1p);
    }

    /// <summary>erf by its Maclaurin series in double: exact to float precision for |x| &lt; 4, and beyond that
    /// erf rounds to ±1 in float (erfc(4) ≈ 1.5e-8 is below half an ulp of 1).</summary>
    private static float Erf(float x)
    {
        if (float.IsNaN(x)) return x;
        if (x >= 4f) return 1f;
        if (x <= -4f) return -1f;
        double z = x, z2 = z * z;
        double power = z; // (-1)^n z^(2n+1) / n!
        double sum = z;
        for (int n = 1; n < 200; n++)
        {
            power *= -z2 / n;
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return (float)(sum * 1.1283791670955126); // 2/√π
    }

    private static void Clamp(ReadOnlySpan<float> x, Span<float> y, float lo, float hi)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ys = ref MemoryMarshal.GetReference(y);
            var vlo = new Vector<float>(lo);
            var vhi = new Vector<float>(hi);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                // Vector.Min/Max return the second operand for NaN on x64; explicit NaN lanes keep NaN like the scalar path.
                var r = Vector.Min(Vector.Max(v, vlo), vhi);
                r = Vector.ConditionalSelect(Vector.Equals(v, v), r, v);
                r.StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < x.Length; i++) y[i] = MathF.Min(MathF.Max(x[i], lo), hi);
    }

    private static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ys = ref MemoryMarshal.GetReference(y);
            var va = new Vector<float>(alpha);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), v * va, v).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] < 0f ? alpha * x[i] : x[i];
    }

    private static void HardSigmoid(ReadOnlySpan<float> x, Span<float> y, float alpha, float beta)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ys = ref MemoryMarshal.GetReference(y);
            var va = new Vector<float>(alpha);
            var vb = new Vector<float>(beta);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                var r = Vector.Max(Vector<float>.Zero, Vector.Min(Vector<float>.One, v * va + vb));
                Vector.ConditionalSelect(Vector.Equals(v, v), r, v).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < x.Length; i++) y[i] = MathF.Max(0f, MathF.Min(1f, alpha * x[i] + beta));
    }

    private static void HardSwish(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            ref float ys = ref MemoryMarshal.GetReference(y);
            var sixth = new Vector<float>(1f / 6f);
            var half = new Vector<float>(0.5f);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                var gate = Vector.Max(Vector<float>.Zero, Vector.Min(Vector<float>.One, v * sixth + half));
                Vector.ConditionalSelect(Vector.Equals(v, v), v * gate, v).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] * MathF.Max(0f, MathF.Min(1f, x[i] * (1f / 6f) + 0.5f));
    }
}
