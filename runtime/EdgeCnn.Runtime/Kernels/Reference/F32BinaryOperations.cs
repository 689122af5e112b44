using System.Numerics;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>One element-wise binary function, as a scalar and as a vector with identical results per lane,
/// so a generic loop constrained to the struct gets specialized by the JIT.</summary>
public interface IF32BinaryOperation
{
    static abstract float Apply(float a, float b);
    static abstract Vector<float> Apply(Vector<float> a, Vector<float> b);
}

public readonly struct F32AddOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => a + b;
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a + b;
}

public readonly struct F32SubOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => a - b;
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a - b;
}

public readonly struct F32MulOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => a * b;
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a * b;
}

public readonly struct F32DivOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => a / b;
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a / b;
}

public readonly struct F32PowOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => MathF.Pow(a, b);

    public static Vector<float> Apply(Vector<float> a, Vector<float> b)
    {
        // No vector pow in the BCL: lane by lane through the scalar function keeps both paths identical.
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = MathF.Pow(a[i], b[i]);
        return new Vector<float>(lanes);
    }
}

public readonly struct F32MaxOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => MathF.Max(a, b);

    // Vector.Max may return the second operand for NaN lanes; NaN must propagate as in MathF.Max.
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) =>
        Vector.ConditionalSelect(Vector.Equals(a, a), Vector.ConditionalSelect(Vector.Equals(b, b), Vector.Max(a, b), b), a);
}

public readonly struct F32MinOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => MathF.Min(a, b);

    public static Vector<float> Apply(Vector<float> a, Vector<float> b) =>
        Vector.ConditionalSelect(Vector.Equals(a, a), Vector.ConditionalSelect(Vector.Equals(b, b), Vector.Min(a, b), b), a);
}

/// <summary>PRelu: a &lt; 0 ? a·b : a, with b the (broadcast) slope.</summary>
public readonly struct F32PReluOperation : IF32BinaryOperation
{
    public static float Apply(float a, float b) => a < 0f ? a * b : a;
    public static Vector<float> Apply(Vector<float> a, Vector<float> b) =>
        Vector.ConditionalSelect(Vector.LessThan(a, Vector<float>.Zero), a * b, a);
}
