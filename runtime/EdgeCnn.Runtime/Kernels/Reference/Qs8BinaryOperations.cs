using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>An int8 element-wise binary function with its requantization prepared in its fields.</summary>
public interface IQs8BinaryOperation
{
    sbyte Apply(sbyte a, sbyte b);
}

/// <summary>
/// Int8 Add/Sub (TFLite's scheme): with s = 2·max(s_a, s_b),
/// a' = MBQM((a − za)·2²⁰, M(s_a/s)), b' = MBQM((b − zb)·2²⁰, M(s_b/s)),
/// y = min(max(zy + MBQM(a' ± b', M(s/(2²⁰·s_y))), Min), Max), where MBQM is
/// <see cref="FixedPoint.MultiplyByQuantizedMultiplier"/> and M(r) the quantized multiplier of r (computed in double).
/// Both inputs land on the common scale s/2²⁰ with 20 extra bits, so the sum is exact up to those roundings.
/// </summary>
public readonly struct Qs8AddOperation : IQs8BinaryOperation
{
    public const int InputLeftShift = 20;

    private readonly int _aZeroPoint, _aMultiplier, _aShift;
    private readonly int _bZeroPoint, _bMultiplier, _bShift;
    private readonly int _outMultiplier, _outShift, _yZeroPoint, _min, _max;
    private readonly bool _subtract;

    public Qs8AddOperation(bool subtract, float aScale, int aZeroPoint, float bScale, int bZeroPoint, float yScale, int yZeroPoint, int min, int max)
    {
        double twiceMax = 2.0 * Math.Max(aScale, bScale);
        (_aMultiplier, _aShift) = FixedPoint.QuantizeMultiplier(aScale / twiceMax);
        (_bMultiplier, _bShift) = FixedPoint.QuantizeMultiplier(bScale / twiceMax);
        (_outMultiplier, _outShift) = FixedPoint.QuantizeMultiplier(twiceMax / ((1 << InputLeftShift) * (double)yScale));
        (_aZeroPoint, _bZeroPoint, _yZeroPoint, _min, _max, _subtract) = (aZeroPoint, bZeroPoint, yZeroPoint, min, max, subtract);
    }

    // The prepared constants, read by the SIMD kernels (Kernels/Qs8BinaryKernels.cs) so the arithmetic is defined once.
    public int AZeroPoint => _aZeroPoint;
    public int AMultiplier => _aMultiplier;
    public int AShift => _aShift;
    public int BZeroPoint => _bZeroPoint;
    public int BMultiplier => _bMultiplier;
    public int BShift => _bShift;
    public int OutputMultiplier => _outMultiplier;
    public int OutputShift => _outShift;
    public int YZeroPoint => _yZeroPoint;
    public int Min => _min;
    public int Max => _max;
    public bool Subtract => _subtract;

    public sbyte Apply(sbyte a, sbyte b)
    {
        int scaledA = FixedPoint.MultiplyByQuantizedMultiplier((a - _aZeroPoint) << InputLeftShift, _aMultiplier, _aShift);
        int scaledB = FixedPoint.MultiplyByQuantizedMultiplier((b - _bZeroPoint) << InputLeftShift, _bMultiplier, _bShift);
        int sum = _subtract ? scaledA - scaledB : scaledA + scaledB;
        long v = _yZeroPoint + (long)FixedPoint.MultiplyByQuantizedMultiplier(sum, _outMultiplier, _outShift);
        return (sbyte)Math.Min(Math.Max(v, _min), _max);
    }
}

/// <summary>Int8 Mul: y = min(max(zy + MBQM((a − za)·(b − zb), M(s_a·s_b/s_y)), Min), Max); the product is exact in int32.</summary>
public readonly struct Qs8MulOperation : IQs8BinaryOperation
{
    private readonly int _aZeroPoint, _bZeroPoint, _multiplier, _shift, _yZeroPoint, _min, _max;

    public Qs8MulOperation(float aScale, int aZeroPoint, float bScale, int bZeroPoint, float yScale, int yZeroPoint, int min, int max)
    {
        (_multiplier, _shift) = FixedPoint.QuantizeMultiplier((double)aScale * bScale / yScale);
        (_aZeroPoint, _bZeroPoint, _yZeroPoint, _min, _max) = (aZeroPoint, bZeroPoint, yZeroPoint, min, max);
    }

    // The prepared constants, read by the SIMD kernels (Kernels/Qs8BinaryKernels.cs).
    public int AZeroPoint => _aZeroPoint;
    public int BZeroPoint => _bZeroPoint;
    public int Multiplier => _multiplier;
    public int Shift => _shift;
    public int YZeroPoint => _yZeroPoint;
    public int Min => _min;
    public int Max => _max;

    public sbyte Apply(sbyte a, sbyte b)
    {
        int product = (a - _aZeroPoint) * (b - _bZeroPoint);
        long v = _yZeroPoint + (long)FixedPoint.MultiplyByQuantizedMultiplier(product, _multiplier, _shift);
        return (sbyte)Math.Min(Math.Max(v, _min), _max);
    }
}
