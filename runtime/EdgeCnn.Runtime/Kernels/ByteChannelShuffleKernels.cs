using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Channel shuffle of one-byte elements (int8 data) for each path. Two groups, ShuffleNetV2's case, is an interleave
/// of a row's two halves: 16 channels of each half are zipped into 32 outputs (PUNPCKLBW/PUNPCKHBW on x86, ZIP1/ZIP2
/// on ARM64, two constant shuffles OR-ed in portable code), the rest of the half scalar. Other group counts run
/// <see cref="ChannelShuffleReference"/>. Input and output must not overlap (the operator shuffles in place from a
/// scratch copy of the row).
/// </summary>
public static class ByteChannelShuffleKernels
{
    public static KernelPath Select(KernelPath requested) => requested switch
    {
        KernelPath.AdvSimd or KernelPath.AdvSimdDp => KernelPath.AdvSimd,
        KernelPath.Avx2 => KernelPath.Avx2,
        KernelPath.Vector128 => KernelPath.Vector128,
        _ => KernelPath.Reference,
    };

    public static void Run(KernelPath selected, int rows, int channels, int groups, ReadOnlySpan<byte> x, Span<byte> y)
    {
        if (groups != 2 || selected == KernelPath.Reference)
        {
            ChannelShuffleReference.Run(rows, channels, groups, x, y);
            return;
        }
        if (channels % 2 != 0) throw new ArgumentException($"{channels} channels do not split into 2 groups", nameof(channels));
        if (x.Length < (long)rows * channels || y.Length < (long)rows * channels)
            throw new ArgumentException($"input {x.Length} and output {y.Length} bytes, {rows}x{channels} needed");
        switch (selected)
        {
            case KernelPath.AdvSimd:
                if (!AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException("the AdvSimd channel shuffle needs ARM64 AdvSimd");
                Interleave<ZipAdvSimd>(rows, channels, x, y);
                break;
            case KernelPath.Avx2:
                if (!Avx2.IsSupported) throw new PlatformNotSupportedException("the Avx2 channel shuffle needs AVX2");
                Interleave<ZipSse2>(rows, channels, x, y);
                break;
            default: Interleave<ZipPortable>(rows, channels, x, y); break;
        }
    }

    private static void Interleave<TZip>(int rows, int channels, ReadOnlySpan<byte> x, Span<byte> y) where TZip : IZip
    {
        int half = channels / 2;
        for (int r = 0; r < rows; r++)
        {
            ref byte first = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)r * channels);
            ref byte second = ref Unsafe.Add(ref first, half);
            ref byte output = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), (nint)r * channels);
            int i = 0;
            for (; i + 16 <= half; i += 16)
            {
                var (low, high) = TZip.Zip(Vector128.LoadUnsafe(ref first, (nuint)i), Vector128.LoadUnsafe(ref second, (nuint)i));
                low.StoreUnsafe(ref output, (nuint)(2 * i));
                high.StoreUnsafe(ref output, (nuint)(2 * i + 16));
            }
            for (; i < half; i++)
            {
                Unsafe.Add(ref output, 2 * i) = Unsafe.Add(ref first, i);
                Unsafe.Add(ref output, 2 * i + 1) = Unsafe.Add(ref second, i);
            }
        }
    }

    /// <summary>Interleaves the bytes of a and b: (a0 b0 … a7 b7, a8 b8 … a15 b15).</summary>
    private interface IZip
    {
        static abstract (Vector128<byte> Low, Vector128<byte> High) Zip(Vector128<byte> a, Vector128<byte> b);
    }

    private readonly struct ZipPortable : IZip
    {
        // Vector128.Shuffle zeroes lanes whose index is out of range, so each source fills every other byte.
        private static readonly Vector128<byte> EvenLow = Vector128.Create((byte)0, 255, 1, 255, 2, 255, 3, 255, 4, 255, 5, 255, 6, 255, 7, 255);
        private static readonly Vector128<byte> OddLow = Vector128.Create((byte)255, 0, 255, 1, 255, 2, 255, 3, 255, 4, 255, 5, 255, 6, 255, 7);
        private static readonly Vector128<byte> EvenHigh = Vector128.Create((byte)8, 255, 9, 255, 10, 255, 11, 255, 12, 255, 13, 255, 14, 255, 15, 255);
        private static readonly Vector128<byte> OddHigh = Vector128.Create((byte)255, 8, 255, 9, 255, 10, 255, 11, 255, 12, 255, 13, 255, 14, 255, 15);

        public static (Vector128<byte> Low, Vector128<byte> High) Zip(Vector128<byte> a, Vector128<byte> b) =>
            (Vector128.Shuffle(a, EvenLow) | Vector128.Shuffle(b, OddLow), Vector128.Shuffle(a, EvenHigh) | Vector128.Shuffle(b, OddHigh));
    }

    private readonly struct ZipSse2 : IZip
    {
        public static (Vector128<byte> Low, Vector128<byte> High) Zip(Vector128<byte> a, Vector128<byte> b) =>
            (Sse2.UnpackLow(a, b), Sse2.UnpackHigh(a, b));
    }

    private readonly struct ZipAdvSimd : IZip
    {
        public static (Vector128<byte> Low, Vector128<byte> High) Zip(Vector128<byte> a, Vector128<byte> b) =>
            (AdvSimd.Arm64.ZipLow(a, b), AdvSimd.Arm64.ZipHigh(a, b));
    }
}
