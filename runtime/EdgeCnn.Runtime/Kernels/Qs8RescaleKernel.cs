using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// <see cref="Qs8RequantizeReference"/> (int8 from one per-tensor quantization to another, as an int8 Concat does for
/// an input quantized unlike its output) prepared for the SIMD kernels of a path: 16 codes at a time widened to
/// int32, the zero point taken, the 2²⁰ pre-shift applied, and the output stage of Qs8Requantize* (its clamp to
/// [−128, 127] and zero point are the reference's) on lanes that all hold the one multiplier; a scalar tail, so
/// input and output may be the same buffer. AdvSimdDp runs the AdvSimd code.
/// </summary>
public sealed class Qs8RescaleKernel
{
    private const int Width = 16;
    private readonly int _xZeroPoint, _multiplier, _shift, _yZeroPoint;
    private readonly Qs8RequantizeLanes _lanes;

    private Qs8RescaleKernel(KernelPath kernel, int xZeroPoint, int multiplier, int shift, int yZeroPoint)
    {
        Kernel = kernel;
        (_xZeroPoint, _multiplier, _shift, _yZeroPoint) = (xZeroPoint, multiplier, shift, yZeroPoint);
        var multipliers = new int[Width];
        var shifts = new int[Width];
        multipliers.AsSpan().Fill(multiplier);
        shifts.AsSpan().Fill(shift);
        _lanes = new Qs8RequantizeLanes(new Qs8Requantization(multipliers, shifts, yZeroPoint, sbyte.MinValue, sbyte.MaxValue));
    }

    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.AdvSimd,
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    /// <summary>The kernel for <paramref name="path"/>, or null for the reference. (multiplier, shift) come from
    /// <see cref="Qs8RequantizeReference.Prepare"/>.</summary>
    public static Qs8RescaleKernel? TryCreate(KernelPath path, int xZeroPoint, int multiplier, int shift, int yZeroPoint)
    {
        var kernel = Select(path);
        return kernel == KernelPath.Reference ? null : new Qs8RescaleKernel(kernel, xZeroPoint, multiplier, shift, yZeroPoint);
    }

    public KernelPath Kernel { get; }

    public void Run(ReadOnlySpan<sbyte> x, Span<sbyte> y)
    {
        if (x.Length < y.Length) throw new ArgumentException($"input holds {x.Length} values, output {y.Length}", nameof(x));
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        int done = Kernel switch
        {
            KernelPath.AdvSimd => RunAdvSimd(ref x0, ref y0, y.Length),
            KernelPath.Avx2 => RunAvx2(ref x0, ref y0, y.Length),
            _ => RunVector128(ref x0, ref y0, y.Length),
        };
        if (done < y.Length) Qs8RequantizeReference.Run(x[done..y.Length], _xZeroPoint, _multiplier, _shift, _yZeroPoint, y[done..]);
    }

    private int RunVector128(ref sbyte x, ref sbyte y, int length)
    {
        var zp = Vector128.Create(_xZeroPoint);
        int i = 0;
        for (; i + Width <= length; i += Width)
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref x, (nuint)i));
            var (v0, v1) = Vector128.Widen(lower);
            var (v2, v3) = Vector128.Widen(upper);
            Qs8RequantizeVector128.Narrow(Scale128(v0, zp), Scale128(v1, zp), Scale128(v2, zp), Scale128(v3, zp)).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<int> Scale128(Vector128<int> codes, Vector128<int> zp) =>
        Qs8RequantizeVector128.Apply((codes - zp) << Qs8RequantizeReference.InputLeftShift, _lanes, 0);

    private int RunAvx2(ref sbyte x, ref sbyte y, int length)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8RescaleKernel's Avx2 code needs AVX2");
        var zp = Vector256.Create(_xZeroPoint);
        int i = 0;
        for (; i + Width <= length; i += Width)
        {
            var codes = Vector128.LoadUnsafe(ref x, (nuint)i);
            var a = Avx2.ShiftLeftLogical(Avx2.Subtract(Avx2.ConvertToVector256Int32(codes), zp), Qs8RequantizeReference.InputLeftShift);
            var b = Avx2.ShiftLeftLogical(Avx2.Subtract(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(codes, 8)), zp),
                Qs8RequantizeReference.InputLeftShift);
            Qs8RequantizeAvx2.Narrow(Qs8RequantizeAvx2.Apply(a, _lanes, 0), Qs8RequantizeAvx2.Apply(b, _lanes, 0)).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    private int RunAdvSimd(ref sbyte x, ref sbyte y, int length)
    {
        if (!AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException("Qs8RescaleKernel's AdvSimd code needs ARM64 AdvSimd");
        var zp = Vector128.Create((sbyte)_xZeroPoint);
        int i = 0;
        for (; i + Width <= length; i += Width)
        {
            var codes = Vector128.LoadUnsafe(ref x, (nuint)i);
            var lower = AdvSimd.SubtractWideningLower(codes.GetLower(), zp.GetLower());
            var upper = AdvSimd.SubtractWideningUpper(codes, zp);
            Qs8RequantizeAdvSimd.Narrow(
                ScaleAdvSimd(AdvSimd.SignExtendWideningLower(lower.GetLower())), ScaleAdvSimd(AdvSimd.SignExtendWideningUpper(lower)),
                ScaleAdvSimd(AdvSimd.SignExtendWideningLower(upper.GetLower())), ScaleAdvSimd(AdvSimd.SignExtendWideningUpper(upper)))
                .StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<int> ScaleAdvSimd(Vector128<int> offsets) =>
        Qs8RequantizeAdvSimd.Apply(offsets << Qs8RequantizeReference.InputLeftShift, _lanes, 0);
}
