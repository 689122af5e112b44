using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Int8 NHWC global average (the definition is <see cref="Qs8GlobalAveragePoolReference"/>), 16 channels at a
/// time: codes are summed in int16 lanes for up to <see cref="PixelsPerInt16Sum"/> pixels (|sum| ≤ 128·128 fits),
/// then widened into int32 sums; the rounded division is scalar per channel. The channel tail is one overlapping
/// last block, scalar below 16 channels. ARM64 runs this kernel for its AdvSimd paths (the same SXTL/ADD code).
/// </summary>
public static class Qs8GlobalAveragePoolVector128
{
    internal const int PixelsPerInt16Sum = 128;

    /// <summary>Images whose code sums could leave int32 (more than this many pixels) go to the reference.</summary>
    internal const int MaxPixels = int.MaxValue / 256;

    public static void Run(int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y) =>
        Run(batch, pixels, channels, zeroPoint, x, y, 0, channels);

    /// <summary>Only channels [<paramref name="channelBegin"/>, <paramref name="channelEnd"/>) (a part of a split op); the
    /// overlapping last block stays inside the range, so parts never write each other's channels.</summary>
    public static void Run(int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y, int channelBegin, int channelEnd)
    {
        CheckRange(channels, channelBegin, channelEnd);
        if (pixels > MaxPixels || channelEnd - channelBegin < 16)
        {
            Qs8GlobalAveragePoolReference.Run(batch, pixels, channels, zeroPoint, x, y, channelBegin, channelEnd);
            return;
        }
        CheckLengths(batch, pixels, channels, x.Length, y.Length);
        Span<int> sums = stackalloc int[16];
        for (int n = 0; n < batch; n++)
        {
            ref sbyte image = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)n * pixels * channels);
            ref sbyte output = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), (nint)n * channels);
            int c = channelBegin;
            for (; c + 16 <= channelEnd; c += 16) Block(ref image, pixels, channels, c, zeroPoint, sums, ref output);
            if (c < channelEnd) Block(ref image, pixels, channels, channelEnd - 16, zeroPoint, sums, ref output);
        }
    }

    internal static void CheckRange(int channels, int channelBegin, int channelEnd)
    {
        if (channelBegin < 0 || channelEnd < channelBegin || channelEnd > channels)
            throw new ArgumentOutOfRangeException(nameof(channelBegin), $"channels [{channelBegin}, {channelEnd}) outside the {channels} channels");
    }

    internal static void CheckLengths(int batch, int pixels, int channels, int xLength, int yLength)
    {
        if (xLength < (long)batch * pixels * channels) throw new ArgumentException($"input holds {xLength} values, {batch}x{pixels}x{channels} needed", "x");
        if (yLength < (long)batch * channels) throw new ArgumentException($"output holds {yLength} values, {batch}x{channels} needed", "y");
    }

    /// <summary>Also the 16-channel tail of the 256-bit kernel.</summary>
    internal static void Block(ref sbyte image, int pixels, int channels, int c, int zeroPoint, Span<int> sums, ref sbyte output)
    {
        Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
        ref sbyte column = ref Unsafe.Add(ref image, c);
        for (int p0 = 0; p0 < pixels; p0 += PixelsPerInt16Sum)
        {
            Vector128<short> lower = default, upper = default;
            int end = Math.Min(pixels, p0 + PixelsPerInt16Sum);
            for (int p = p0; p < end; p++)
            {
                var (l, u) = Vector128.Widen(Vector128.LoadUnsafe(ref Unsafe.Add(ref column, (nint)p * channels)));
                lower += l;
                upper += u;
            }
            var (a, b) = Vector128.Widen(lower);
            s0 += a;
            s1 += b;
            (a, b) = Vector128.Widen(upper);
            s2 += a;
            s3 += b;
        }
        s0.CopyTo(sums);
        s1.CopyTo(sums[4..]);
        s2.CopyTo(sums[8..]);
        s3.CopyTo(sums[12..]);
        Qs8MeanRounding.Store(sums, pixels, pixels, zeroPoint, ref Unsafe.Add(ref output, c));
    }
}
