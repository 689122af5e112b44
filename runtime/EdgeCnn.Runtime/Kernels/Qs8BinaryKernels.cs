using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>One ISA's int8 Add/Sub and Mul over a contiguous run: each operand either advances (stride 1) or is one
/// value broadcast over the run (stride 0). Processes the leading multiple of its vector width and returns how many
/// elements it wrote; the caller finishes the run with the scalar operation (no overlapping last vector: the
/// memory planner lets Binary write over an input).</summary>
internal interface IQs8BinaryRow
{
    static abstract int Add(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k);
    static abstract int Mul(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k);
}

/// <summary>
/// Int8 Add, Sub or Mul (<see cref="Qs8AddOperation"/>, <see cref="Qs8MulOperation"/>) prepared for the SIMD kernel
/// of a path. The input rescaling of Add is MultiplyByQuantizedMultiplier with a shift ≤ 0 (each input's real
/// multiplier s/(2·max) is at most ½) on values below 2²⁸, so it needs neither the saturating left shift nor the
/// clamp of the output stage; the per-ISA row kernels carry that step, and the output stage is
/// Qs8Requantize* on lanes that all hold the one per-tensor multiplier. ARM64's AdvSimdDp runs the AdvSimd kernel.
/// </summary>
public sealed class Qs8BinaryKernel
{
    private const int ReplicatedLanes = 16;

    private Qs8BinaryKernel(KernelPath kernel, bool isMul, Qs8AddOperation add, Qs8MulOperation mul)
    {
        Kernel = kernel;
        IsMul = isMul;
        AddOperation = add;
        MulOperation = mul;
        int multiplier, shift;
        Qs8Requantization output;
        if (isMul)
        {
            (AZeroPoint, BZeroPoint) = (mul.AZeroPoint, mul.BZeroPoint);
            (multiplier, shift) = (mul.Multiplier, mul.Shift);
            output = Replicated(multiplier, shift, mul.YZeroPoint, mul.Min, mul.Max);
        }
        else
        {
            (AZeroPoint, BZeroPoint, Subtract) = (add.AZeroPoint, add.BZeroPoint, add.Subtract);
            (AMultiplier, ARightShift, BMultiplier, BRightShift) = (add.AMultiplier, -add.AShift, add.BMultiplier, -add.BShift);
            output = Replicated(add.OutputMultiplier, add.OutputShift, add.YZeroPoint, add.Min, add.Max);
        }
        Output = new Qs8RequantizeLanes(output);
    }

    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.AdvSimd,
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    /// <summary>Add/Sub for the path's kernel, or null for the reference (also when an input shift is positive,
    /// which QuantizeMultiplier of a real ≤ ½ never gives).</summary>
    public static Qs8BinaryKernel? TryCreate(KernelPath path, in Qs8AddOperation add)
    {
        var kernel = Select(path);
        if (kernel == KernelPath.Reference || add.AShift > 0 || add.BShift > 0) return null;
        return new Qs8BinaryKernel(kernel, false, add, default);
    }

    /// <summary>Mul for the path's kernel, or null for the reference.</summary>
    public static Qs8BinaryKernel? TryCreate(KernelPath path, in Qs8MulOperation mul)
    {
        var kernel = Select(path);
        return kernel == KernelPath.Reference ? null : new Qs8BinaryKernel(kernel, true, default, mul);
    }

    public KernelPath Kernel { get; }
    public bool IsMul { get; }
    internal Qs8AddOperation AddOperation { get; }
    internal Qs8MulOperation MulOperation { get; }
    internal int AZeroPoint { get; }
    internal int BZeroPoint { get; }
    internal bool Subtract { get; }
    internal int AMultiplier { get; }
    internal int ARightShift { get; }
    internal int BMultiplier { get; }
    internal int BRightShift { get; }

    /// <summary>The output stage, the same multiplier in every lane (read from channel 0).</summary>
    internal Qs8RequantizeLanes Output { get; }

    /// <summary>The broadcast walk of <see cref="Qs8BinaryReference.Run"/> with the contiguous inner runs vectorized.</summary>
    public void Run(ReadOnlySpan<sbyte> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<sbyte> b, ReadOnlySpan<int> bStrides,
        ReadOnlySpan<int> shape, Span<sbyte> y) => Run(a, aStrides, b, bStrides, shape, y, 0, y.Length);

    /// <summary>Only output elements [<paramref name="begin"/>, <paramref name="end"/>) (a part of a split op): the
    /// walk starts at the row holding <paramref name="begin"/> and runs the vector rows on the range's piece of each row.</summary>
    public void Run(ReadOnlySpan<sbyte> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<sbyte> b, ReadOnlySpan<int> bStrides,
        ReadOnlySpan<int> shape, Span<sbyte> y, int begin, int end)
    {
        switch (Kernel)
        {
            case KernelPath.AdvSimd: Walk<Qs8BinaryAdvSimd>(a, aStrides, b, bStrides, shape, y, begin, end); break;
            case KernelPath.Avx2: Walk<Qs8BinaryAvx2>(a, aStrides, b, bStrides, shape, y, begin, end); break;
            default: Walk<Qs8BinaryVector128>(a, aStrides, b, bStrides, shape, y, begin, end); break;
        }
    }

    private void Walk<TRow>(ReadOnlySpan<sbyte> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<sbyte> b, ReadOnlySpan<int> bStrides,
        ReadOnlySpan<int> shape, Span<sbyte> y, int begin, int end) where TRow : IQs8BinaryRow
    {
        int rank = shape.Length;
        if (rank == 0 || aStrides.Length != rank || bStrides.Length != rank)
            throw new ArgumentException($"the walk has {rank} axes, strides {aStrides.Length} and {bStrides.Length}", nameof(shape));
        int inner = shape[rank - 1], innerA = aStrides[rank - 1], innerB = bStrides[rank - 1];
        if (y.Length == 0 || inner == 0) return;
        CheckExtent(a.Length, aStrides, shape, "a");
        CheckExtent(b.Length, bStrides, shape, "b");
        if (y.Length % inner != 0) throw new ArgumentException($"output length {y.Length} is not a multiple of the inner extent {inner}", nameof(y));
        if (begin < 0 || end > y.Length) throw new ArgumentOutOfRangeException(nameof(begin), $"elements [{begin}, {end}) outside the {y.Length} outputs");
        if (begin >= end) return;
        bool vector = innerA is 0 or 1 && innerB is 0 or 1;

        ref sbyte a0 = ref MemoryMarshal.GetReference(a);
        ref sbyte b0 = ref MemoryMarshal.GetReference(b);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        Span<int> index = stackalloc int[rank];
        index.Clear();
        int row = begin / inner;
        Odometer.Seek(index, shape, aStrides, bStrides, rank - 1, row, out int ao, out int bo);
        for (int yo = row * inner; yo < end; yo += inner)
        {
            // The range's piece of this row: [first, first + count).
            int first = Math.Max(begin - yo, 0), count = Math.Min(end - yo, inner) - first;
            ref sbyte ar = ref Unsafe.Add(ref a0, ao + first * innerA);
            ref sbyte br = ref Unsafe.Add(ref b0, bo + first * innerB);
            ref sbyte yr = ref Unsafe.Add(ref y0, yo + first);
            int done = !vector ? 0
                : IsMul ? TRow.Mul(ref ar, innerA == 0, ref br, innerB == 0, ref yr, count, this)
                : TRow.Add(ref ar, innerA == 0, ref br, innerB == 0, ref yr, count, this);
            for (int j = done; j < count; j++)
            {
                sbyte va = Unsafe.Add(ref ar, (nint)j * innerA), vb = Unsafe.Add(ref br, (nint)j * innerB);
                Unsafe.Add(ref yr, j) = IsMul ? MulOperation.Apply(va, vb) : AddOperation.Apply(va, vb);
            }
            Odometer.Advance(index, shape, aStrides, bStrides, rank - 1, ref ao, ref bo);
        }
    }

    /// <summary>The largest offset the walk reads through <paramref name="strides"/> must lie inside the operand.</summary>
    private static void CheckExtent(int length, ReadOnlySpan<int> strides, ReadOnlySpan<int> shape, string name)
    {
        long last = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (strides[i] < 0) throw new ArgumentException($"operand {name} has a negative stride", name);
            last += (long)strides[i] * (shape[i] - 1);
        }
        if (last >= length) throw new ArgumentException($"operand {name} holds {length} values, the walk reads offset {last}", name);
    }

    private static Qs8Requantization Replicated(int multiplier, int shift, int zeroPoint, int min, int max)
    {
        var multipliers = new int[ReplicatedLanes];
        var shifts = new int[ReplicatedLanes];
        multipliers.AsSpan().Fill(multiplier);
        shifts.AsSpan().Fill(shift);
        return new Qs8Requantization(multipliers, shifts, zeroPoint, min, max);
    }
}
