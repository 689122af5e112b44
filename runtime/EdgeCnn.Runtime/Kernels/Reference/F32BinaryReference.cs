using System.Numerics;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Element-wise binary op with numpy broadcasting, over a walk prepared by the caller: the output is
/// contiguous with the given (coalesced) shape, and a and b are read through per-axis strides that are 0
/// along broadcast axes. The last axis is the inner loop; same-shape, scalar and per-last-axis operands
/// all reduce to a vector loop over it.
/// </summary>
public static class F32BinaryReference
{
    public static void Run(BinaryKind kind, ReadOnlySpan<float> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<float> b,
        ReadOnlySpan<int> bStrides, ReadOnlySpan<int> shape, Span<float> y)
    {
        switch (kind)
        {
            case BinaryKind.Add: Run<F32AddOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.Sub: Run<F32SubOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.Mul: Run<F32MulOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.Div: Run<F32DivOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.Pow: Run<F32PowOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.Max: Run<F32MaxOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.Min: Run<F32MinOperation>(a, aStrides, b, bStrides, shape, y); break;
            case BinaryKind.PRelu: Run<F32PReluOperation>(a, aStrides, b, bStrides, shape, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown binary kind");
        }
    }

    public static void Run<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<float> b,
        ReadOnlySpan<int> bStrides, ReadOnlySpan<int> shape, Span<float> y)
        where TOp : struct, IF32BinaryOperation
    {
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerA = aStrides[rank - 1];
        int innerB = bStrides[rank - 1];
        if (y.Length == 0 || inner == 0) return;

        Span<int> index = stackalloc int[rank];
        index.Clear();
        int ao = 0, bo = 0;
        for (int yo = 0; yo < y.Length; yo += inner)
        {
            Row<TOp>(a, ao, innerA, b, bo, innerB, y.Slice(yo, inner));
            Odometer.Advance(index, shape, aStrides, bStrides, rank - 1, ref ao, ref bo);
        }
    }

    private static void Row<TOp>(ReadOnlySpan<float> a, int ao, int sa, ReadOnlySpan<float> b, int bo, int sb, Span<float> y)
        where TOp : struct, IF32BinaryOperation
    {
        int n = y.Length;
        if (sa == 1 && sb == 1) Both<TOp>(a.Slice(ao, n), b.Slice(bo, n), y);
        else if (sa == 0 && sb == 1) ScalarA<TOp>(a[ao], b.Slice(bo, n), y);
        else if (sa == 1 && sb == 0) ScalarB<TOp>(a.Slice(ao, n), b[bo], y);
        else
            for (int j = 0; j < n; j++) y[j] = TOp.Apply(a[ao + j * sa], b[bo + j * sb]);
    }

    private static void Both<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : struct, IF32BinaryOperation
    {
        int n = y.Length;
        int w = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || n < w)
        {
            for (int k = 0; k < n; k++) y[k] = TOp.Apply(a[k], b[k]);
            return;
        }
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        // A scalar tail, not an overlapping last vector: y may be a or b itself (in-place plan, InPlaceRules),
        // and a rerun over written outputs would apply the op twice.
        int j = 0;
        for (; j <= n - w; j += w)
            TOp.Apply(Vector.LoadUnsafe(ref ar, (nuint)j), Vector.LoadUnsafe(ref br, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        for (; j < n; j++) y[j] = TOp.Apply(a[j], b[j]);
    }

    private static void ScalarA<TOp>(float a, ReadOnlySpan<float> b, Span<float> y) where TOp : struct, IF32BinaryOperation
    {
        int n = y.Length;
        int w = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || n < w)
        {
            for (int k = 0; k < n; k++) y[k] = TOp.Apply(a, b[k]);
            return;
        }
        var av = new Vector<float>(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        for (; j <= n - w; j += w) TOp.Apply(av, Vector.LoadUnsafe(ref br, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        for (; j < n; j++) y[j] = TOp.Apply(a, b[j]);
    }

    private static void ScalarB<TOp>(ReadOnlySpan<float> a, float b, Span<float> y) where TOp : struct, IF32BinaryOperation
    {
        int n = y.Length;
        int w = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || n < w)
        {
            for (int k = 0; k < n; k++) y[k] = TOp.Apply(a[k], b);
            return;
        }
        var bv = new Vector<float>(b);
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        for (; j <= n - w; j += w) TOp.Apply(Vector.LoadUnsafe(ref ar, (nuint)j), bv).StoreUnsafe(ref yr, (nuint)j);
        for (; j < n; j++) y[j] = TOp.Apply(a[j], b);
    }
}
