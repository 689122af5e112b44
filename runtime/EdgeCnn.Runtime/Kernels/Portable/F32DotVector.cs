using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Dot-product microkernels over contiguous float runs, with <see cref="Vector{T}"/> lanes and a scalar
/// tail. Several weight rows (a fixed stride apart) share each loaded input vector, which is what makes
/// the direct convolution worth vectorizing. Callers guarantee every run lies inside its buffer.
/// </summary>
internal static class F32DotVector
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot1(ref float x, ref float w, int length)
    {
        int i = 0;
        float sum = 0f;
        if (length >= Vector<float>.Count)
        {
            var a = Vector<float>.Zero;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
                a += Vector.LoadUnsafe(ref x, (nuint)i) * Vector.LoadUnsafe(ref w, (nuint)i);
            sum = Vector.Sum(a);
        }
        for (; i < length; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref w, i);
        return sum;
    }

    /// <summary>The dot of one input run with four weight rows starting at w, w+stride, w+2·stride, w+3·stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector4 Dot4(ref float x, ref float w, int stride, int length)
    {
        ref float w1 = ref Unsafe.Add(ref w, stride);
        ref float w2 = ref Unsafe.Add(ref w, 2 * stride);
        ref float w3 = ref Unsafe.Add(ref w, 3 * stride);
        int i = 0;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        if (length >= Vector<float>.Count)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var xv = Vector.LoadUnsafe(ref x, (nuint)i);
                a0 += xv * Vector.LoadUnsafe(ref w, (nuint)i);
                a1 += xv * Vector.LoadUnsafe(ref w1, (nuint)i);
                a2 += xv * Vector.LoadUnsafe(ref w2, (nuint)i);
                a3 += xv * Vector.LoadUnsafe(ref w3, (nuint)i);
            }
            s0 = Vector.Sum(a0);
            s1 = Vector.Sum(a1);
            s2 = Vector.Sum(a2);
            s3 = Vector.Sum(a3);
        }
        for (; i < length; i++)
        {
            float xv = Unsafe.Add(ref x, i);
            s0 += xv * Unsafe.Add(ref w, i);
            s1 += xv * Unsafe.Add(ref w1, i);
            s2 += xv * Unsafe.Add(ref w2, i);
            s3 += xv * Unsafe.Add(ref w3, i);
        }
        return new Vector4(s0, s1, s2, s3);
    }

    /// <summary>Two input runs (x0, x1) against four weight rows: eight dots sharing every load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot2x4(ref float x0, ref float x1, ref float w, int stride, int length, out Vector4 r0, out Vector4 r1)
    {
        ref float w1 = ref Unsafe.Add(ref w, stride);
        ref float w2 = ref Unsafe.Add(ref w, 2 * stride);
        ref float w3 = ref Unsafe.Add(ref w, 3 * stride);
        int i = 0;
        float p0 = 0f, p1 = 0f, p2 = 0f, p3 = 0f, q0 = 0f, q1 = 0f, q2 = 0f, q3 = 0f;
        if (length >= Vector<float>.Count)
        {
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var u = Vector.LoadUnsafe(ref x0, (nuint)i);
                var v = Vector.LoadUnsafe(ref x1, (nuint)i);
                var k = Vector.LoadUnsafe(ref w, (nuint)i);
                a0 += u * k;
                b0 += v * k;
                k = Vector.LoadUnsafe(ref w1, (nuint)i);
                a1 += u * k;
                b1 += v * k;
                k = Vector.LoadUnsafe(ref w2, (nuint)i);
                a2 += u * k;
                b2 += v * k;
                k = Vector.LoadUnsafe(ref w3, (nuint)i);
                a3 += u * k;
                b3 += v * k;
            }
            p0 = Vector.Sum(a0); p1 = Vector.Sum(a1); p2 = Vector.Sum(a2); p3 = Vector.Sum(a3);
            q0 = Vector.Sum(b0); q1 = Vector.Sum(b1); q2 = Vector.Sum(b2); q3 = Vector.Sum(b3);
        }
        for (; i < length; i++)
        {
            float u = Unsafe.Add(ref x0, i), v = Unsafe.Add(ref x1, i);
            float k0 = Unsafe.Add(ref w, i), k1 = Unsafe.Add(ref w1, i), k2 = Unsafe.Add(ref w2, i), k3 = Unsafe.Add(ref w3, i);
            p0 += u * k0; p1 += u * k1; p2 += u * k2; p3 += u * k3;
            q0 += v * k0; q1 += v * k1; q2 += v * k2; q3 += v * k3;
        }
        r0 = new Vector4(p0, p1, p2, p3);
        r1 = new Vector4(q0, q1, q2, q3);
    }
}
