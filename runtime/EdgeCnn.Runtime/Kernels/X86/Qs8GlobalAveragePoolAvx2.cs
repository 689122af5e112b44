using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// Int8 NHWC global average with 256-bit vectors: 32 channels at a time, int16 partial sums over up to 128
/// pixels widened into int32, scalar rounded division per channel; the tail is one overlapping last block, the
/// 16-channel Vector128 block between 16 and 31 channels, the reference below 16.
/// </summary>
public static class Qs8GlobalAveragePoolAvx2
{
    public static void Run(int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y) =>
        Run(batch, pixels, channels, zeroPoint, x, y, 0, channels);

    /// <summary>Only channels [<paramref name="channelBegin"/>, <paramref name="channelEnd"/>) (a part of a split op); the
    /// overlapping last block stays inside the range.</summary>
    public static void Run(int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y, int channelBegin, int channelEnd)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8GlobalAveragePoolAvx2 needs AVX2");
        Qs8GlobalAveragePoolVector128.CheckRange(channels, channelBegin, channelEnd);
        if (channelEnd - channelBegin < 32)
        {
            Qs8GlobalAveragePoolVector128.Run(batch, pixels, channels, zeroPoint, x, y, channelBegin, channelEnd);
            return;
        }
        if (pixels > Qs8GlobalAveragePoolVector128.MaxPixels)
        {
            Qs8GlobalAveragePoolReference.Run(batch, pixels, channels, zeroPoint, x, y, channelBegin, channelEnd);
            return;
        }
        Qs8GlobalAveragePoolVector128.CheckLengths(batch, pixels, channels, x.Length, y.Length);
        Span<int> sums = stackalloc int[32];
        for (int n = 0; n < batch; n++)
        {
            ref sbyte image = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)n * pixels * channels);
            ref sbyte output = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), (nint)n * channels);
            int c = channelBegin;
            for (; c + 32 <= channelEnd; c += 32) Block(ref image, pixels, channels, c, zeroPoint, sums, ref output);
            if (c < channelEnd) Block(ref image, pixels, channels, channelEnd - 32, zeroPoint, sums, ref output);
        }
    }

    private static void Block(ref sbyte image, int pixels, int channels, int c, int zeroPoint, Span<int> sums, ref sbyte output)
    {
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
        ref sbyte column = ref Unsafe.Add(ref image, c);
        for (int p0 = 0; p0 < pixels; p0 += Qs8GlobalAveragePoolVector128.PixelsPerInt16Sum)
        {
            Vector256<short> lower = default, upper = default;
            int end = Math.Min(pixels, p0 + Qs8GlobalAveragePoolVector128.PixelsPerInt16Sum);
            for (int p = p0; p < end; p++)
            {
                var (l, u) = Vector256.Widen(Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)p * channels)));
                lower = Avx2.Add(lower, l);
                upper = Avx2.Add(upper, u);
            }
            var (a, b) = Vector256.Widen(lower);
            s0 = Avx2.Add(s0, a);
            s1 = Avx2.Add(s1, b);
            (a, b) = Vector256.Widen(upper);
            s2 = Avx2.Add(s2, a);
            s3 = Avx2.Add(s3, b);
        }
        s0.CopyTo(sums);
        s1.CopyTo(sums[8..]);
        s2.CopyTo(sums[16..]);
        s3.CopyTo(sums[24..]);
        Qs8MeanRounding.Store(sums, pixels, pixels, zeroPoint, ref Unsafe.Add(ref output, c));
    }
}
