using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// <see cref="F32GemmReference"/> with <see cref="Vector{T}"/>: the workhorse of Gemm, MatMul and
/// FullyConnected. Output tiles of 4 rows × 1–2 vectors stay in registers across the whole K loop and
/// each loaded B vector serves 4 rows. The last column tile overlaps its neighbour instead of a scalar
/// tail. Sums bias + a₀b₀ + a₁b₁ + … in the reference's order, so results are bit-identical.
/// </summary>
public static class F32GemmVector
{
    /// <summary>Rows per register tile; callers that split M keep their cuts on multiples of it so every row takes
    /// the same tile (and summation order) as in one call.</summary>
    internal const int Rows = 4;

    /// <param name="bias">Empty, or N values added to every row.</param>
    public static void Multiply(ReadOnlySpan<float> a, int aRowStride, int aColStride, ReadOnlySpan<float> b,
        ReadOnlySpan<float> bias, Span<float> y, int m, int n, int k)
    {
        F32GemmReference.CheckOperands(a.Length, aRowStride, aColStride, b.Length, bias.Length, y.Length, m, n, k);
        if (m == 0 || n == 0) return;

        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        bool hasBias = bias.Length != 0;
        ref float biasRef = ref MemoryMarshal.GetReference(bias);
        int w = Vector<float>.Count;

        if (!Vector.IsHardwareAccelerated || n < w)
        {
            F32GemmReference.Multiply(a, aRowStride, aColStride, b, bias, y, m, n, k);
            return;
        }

        int i = 0;
        for (; i + Rows <= m; i += Rows)
        {
            ref float a0 = ref Unsafe.Add(ref ar, i * aRowStride);
            ref float y0 = ref Unsafe.Add(ref yr, i * n);
            int j = 0;
            if (n >= 2 * w)
                for (; j < n - w; j += 2 * w)
                    Tile4x2(ref a0, aRowStride, aColStride, ref br, hasBias, ref biasRef, ref y0, Math.Min(j, n - 2 * w), n, k);
            for (; j < n; j += w)
                Tile4x1(ref a0, aRowStride, aColStride, ref br, hasBias, ref biasRef, ref y0, Math.Min(j, n - w), n, k);
        }
        for (; i < m; i++)
        {
            ref float a0 = ref Unsafe.Add(ref ar, i * aRowStride);
            ref float y0 = ref Unsafe.Add(ref yr, i * n);
            for (int j = 0; j < n; j += w)
                Tile1x1(ref a0, aColStride, ref br, hasBias, ref biasRef, ref y0, Math.Min(j, n - w), n, k);
        }
    }

    private static void Tile4x2(ref float a0, int rs, int cs, ref float b, bool hasBias, ref float bias, ref float y0, int j, int n, int k)
    {
        int w = Vector<float>.Count;
        Vector<float> c00, c01;
        if (hasBias)
        {
            c00 = Vector.LoadUnsafe(ref bias, (nuint)j);
            c01 = Vector.LoadUnsafe(ref bias, (nuint)(j + w));
        }
        else
        {
            c00 = Vector<float>.Zero;
            c01 = Vector<float>.Zero;
        }
        Vector<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        ref float a1 = ref Unsafe.Add(ref a0, rs);
        ref float a2 = ref Unsafe.Add(ref a1, rs);
        ref float a3 = ref Unsafe.Add(ref a2, rs);
        ref float bj = ref Unsafe.Add(ref b, j);
        nint aOff = 0;
        nuint bOff = 0;
        for (int kk = 0; kk < k; kk++, aOff += cs, bOff += (nuint)n)
        {
            var b0 = Vector.LoadUnsafe(ref bj, bOff);
            var b1 = Vector.LoadUnsafe(ref bj, bOff + (nuint)w);
            var v0 = new Vector<float>(Unsafe.Add(ref a0, aOff));
            var v1 = new Vector<float>(Unsafe.Add(ref a1, aOff));
            var v2 = new Vector<float>(Unsafe.Add(ref a2, aOff));
            var v3 = new Vector<float>(Unsafe.Add(ref a3, aOff));
            c00 += v0 * b0; c01 += v0 * b1;
            c10 += v1 * b0; c11 += v1 * b1;
            c20 += v2 * b0; c21 += v2 * b1;
            c30 += v3 * b0; c31 += v3 * b1;
        }
        ref float yj = ref Unsafe.Add(ref y0, j);
        c00.StoreUnsafe(ref yj); c01.StoreUnsafe(ref yj, (nuint)w);
        c10.StoreUnsafe(ref yj, (nuint)n); c11.StoreUnsafe(ref yj, (nuint)(n + w));
        c20.StoreUnsafe(ref yj, (nuint)(2 * n)); c21.StoreUnsafe(ref yj, (nuint)(2 * n + w));
        c30.StoreUnsafe(ref yj, (nuint)(3 * n)); c31.StoreUnsafe(ref yj, (nuint)(3 * n + w));
    }

    private static void Tile4x1(ref float a0, int rs, int cs, ref float b, bool hasBias, ref float bias, ref float y0, int j, int n, int k)
    {
        var c0 = hasBias ? Vector.LoadUnsafe(ref bias, (nuint)j) : Vector<float>.Zero;
        Vector<float> c1 = c0, c2 = c0, c3 = c0;
        ref float a1 = ref Unsafe.Add(ref a0, rs);
        ref float a2 = ref Unsafe.Add(ref a1, rs);
        ref float a3 = ref Unsafe.Add(ref a2, rs);
        ref float bj = ref Unsafe.Add(ref b, j);
        nint aOff = 0;
        nuint bOff = 0;
        for (int kk = 0; kk < k; kk++, aOff += cs, bOff += (nuint)n)
        {
            var bv = Vector.LoadUnsafe(ref bj, bOff);
            c0 += new Vector<float>(Unsafe.Add(ref a0, aOff)) * bv;
            c1 += new Vector<float>(Unsafe.Add(ref a1, aOff)) * bv;
            c2 += new Vector<float>(Unsafe.Add(ref a2, aOff)) * bv;
            c3 += new Vector<float>(Unsafe.Add(ref a3, aOff)) * bv;
        }
        ref float yj = ref Unsafe.Add(ref y0, j);
        c0.StoreUnsafe(ref yj);
        c1.StoreUnsafe(ref yj, (nuint)n);
        c2.StoreUnsafe(ref yj, (nuint)(2 * n));
        c3.StoreUnsafe(ref yj, (nuint)(3 * n));
    }

    private static void Tile1x1(ref float a0, int cs, ref float b, bool hasBias, ref float bias, ref float y0, int j, int n, int k)
    {
        var c = hasBias ? Vector.LoadUnsafe(ref bias, (nuint)j) : Vector<float>.Zero;
        ref float bj = ref Unsafe.Add(ref b, j);
        nint aOff = 0;
        nuint bOff = 0;
        for (int kk = 0; kk < k; kk++, aOff += cs, bOff += (nuint)n)
            c += new Vector<float>(Unsafe.Add(ref a0, aOff)) * Vector.LoadUnsafe(ref bj, bOff);
        c.StoreUnsafe(ref Unsafe.Add(ref y0, j));
    }
}
