using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The Avx2 path's GEMM on CPUs with AVX-512 BW (<see cref="IsSupported"/>), over the same packed weights
/// (<see cref="Qs8GemmWeights"/>, Avx2 layout): one 512-bit load holds a 16-channel block's two int16 weights per
/// channel for one k pair, so a tile of 8 rows × 16 channels keeps one accumulator per row, and each k pair costs
/// one weight load, 8 broadcasts, 8 VPMADDWD and 8 VPADDD for 256 MACs where the AVX2 kernel issues 44
/// instructions (it needs two 4-row steps of 22). Zen 4 executes a 512-bit operation as two 256-bit halves, so the
/// multiplier throughput is the same; what drops is the instruction count, which pays off where the per-output
/// work (output stage, tile set-up) weighs as much as the multiplies: small depths (<see cref="DefaultMaxDepth"/>).
/// Runs only with the packed output stage (<see cref="Qs8GemmOutputStageAvx2"/>) and 5+ rows;
/// the caller (<see cref="Qs8GemmAvx2"/>) keeps everything else. Bit-exact with it: the same int32 sums in the same
/// lanes and the same output stage.
/// </summary>
public static class Qs8GemmAvx512
{
    public const int TileRows = 8;

    /// <summary>Whether the CPU has the instructions (AVX-512 F and BW).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Avx512BW.IsSupported;

    /// <summary>Whether weights packed without an explicit choice use this kernel: where supported, unless the
    /// environment variable EDGECNN_AVX512 is "0" (to compare the two kernels on one machine).</summary>
    public static bool EnabledByDefault { get; } = IsSupported && Environment.GetEnvironmentVariable("EDGECNN_AVX512") != "0";

    /// <summary>The largest depth (padded to k pairs) weights use this kernel for by default. Measured on Zen 4
    /// (2026-11-23, single thread, kernels called directly): faster than the AVX2 kernel at K = 16, 24, 32 (by 9, 6
    /// and 21%), slower at K = 144, 576, 960 (by 4, 10–20 and 10%), where the AVX2 loop is bound by the multiplier
    /// pipes rather than by the instructions it issues.</summary>
    public const int DefaultMaxDepth = 32;

    /// <summary>Scratch the kernel needs: the tile's rows widened to int16.</summary>
    public static int ScratchBytes(Qs8GemmWeights weights) => TileRows * weights.PaddedDepth * sizeof(short);

    /// <summary>Computes every row; the caller has checked the spans, the path and the scratch size.</summary>
    public static void Run(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride, Span<byte> scratch)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("Qs8GemmAvx512 needs AVX-512 F and BW");
        if (weights.Avx2OutputStage.Length == 0) throw new ArgumentException("Qs8GemmAvx512 runs only with the packed output stage", nameof(weights));
        int depth = weights.Depth, paddedDepth = weights.PaddedDepth, channels = weights.GroupOutChannels, blocks = weights.Blocks;
        var wide = MemoryMarshal.Cast<byte, short>(scratch)[..(TileRows * paddedDepth)];
        ref short x = ref MemoryMarshal.GetReference(wide);
        ref sbyte y = ref MemoryMarshal.GetReference(output);
        ref short groupWeights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Int16), group * weights.GroupLength);
        ref int groupBias = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Bias), group * channels);
        ref int groupStage = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Avx2OutputStage), group * blocks * Qs8GemmOutputStageAvx2.BlockInts);
        var lanes = weights.Output;
        var low = Vector512.Create(lanes.Min - lanes.ZeroPoint);
        var high = Vector512.Create(lanes.Max - lanes.ZeroPoint);
        var zeroPoint = Vector512.Create(lanes.ZeroPoint);
        nuint pairs = (nuint)(paddedDepth / 2);

        for (int r = 0; r < rows; r += TileRows)
        {
            int left = Math.Min(TileRows, rows - r);
            for (int i = 0; i < left; i++)
                Widen(input.Slice((r + i) * inputStride, depth), wide.Slice(i * paddedDepth, paddedDepth));
            // Rows past the last read the first row's copy; their results are not stored.
            ref int x0 = ref Unsafe.As<short, int>(ref x);
            ref int x1 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 1 ? paddedDepth : 0));
            ref int x2 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 2 ? 2 * paddedDepth : 0));
            ref int x3 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 3 ? 3 * paddedDepth : 0));
            ref int x4 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 4 ? 4 * paddedDepth : 0));
            ref int x5 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 5 ? 5 * paddedDepth : 0));
            ref int x6 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 6 ? 6 * paddedDepth : 0));
            ref int x7 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 7 ? 7 * paddedDepth : 0));
            ref sbyte yr = ref Unsafe.Add(ref y, r * outputStride);
            ref short w = ref groupWeights;
            for (int b = 0; b < blocks; b++)
            {
                int c = b * 16;
                var bias = Vector512.LoadUnsafe(ref groupBias, (nuint)c);
                Vector512<int> a0 = bias, a1 = bias, a2 = bias, a3 = bias, a4 = bias, a5 = bias, a6 = bias, a7 = bias;
                for (nuint p = 0; p < pairs; p++)
                {
                    var wp = Vector512.LoadUnsafe(ref w);
                    w = ref Unsafe.Add(ref w, 32);
                    a0 = Avx512F.Add(a0, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x0, p)).AsInt16(), wp));
                    a1 = Avx512F.Add(a1, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x1, p)).AsInt16(), wp));
                    a2 = Avx512F.Add(a2, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x2, p)).AsInt16(), wp));
                    a3 = Avx512F.Add(a3, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x3, p)).AsInt16(), wp));
                    a4 = Avx512F.Add(a4, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x4, p)).AsInt16(), wp));
                    a5 = Avx512F.Add(a5, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x5, p)).AsInt16(), wp));
                    a6 = Avx512F.Add(a6, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x6, p)).AsInt16(), wp));
                    a7 = Avx512F.Add(a7, Avx512BW.MultiplyAddAdjacent(Vector512.Create(Unsafe.Add(ref x7, p)).AsInt16(), wp));
                }
                ref int stage = ref Unsafe.Add(ref groupStage, b * Qs8GemmOutputStageAvx2.BlockInts);
                int count = channels - c;
                ref sbyte yc = ref Unsafe.Add(ref yr, c);
                Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a0, ref stage, low, high, zeroPoint), ref yc, count);
                if (left > 1) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a1, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, outputStride), count);
                if (left > 2) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a2, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, 2 * outputStride), count);
                if (left > 3) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a3, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, 3 * outputStride), count);
                if (left > 4) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a4, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, 4 * outputStride), count);
                if (left > 5) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a5, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, 5 * outputStride), count);
                if (left > 6) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a6, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, 6 * outputStride), count);
                if (left > 7) Store(Qs8GemmOutputStageAvx2.Requantize16Avx512(a7, ref stage, low, high, zeroPoint), ref Unsafe.Add(ref yc, 7 * outputStride), count);
            }
        }
    }

    /// <summary>Sign-extends a row to int16; the padding past the depth is 0 (its weights are 0 too).</summary>
    private static void Widen(ReadOnlySpan<sbyte> row, Span<short> wide)
    {
        int k = 0;
        ref sbyte source = ref MemoryMarshal.GetReference(row);
        ref short target = ref MemoryMarshal.GetReference(wide);
        for (; k + 16 <= row.Length; k += 16)
            Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref source, (nuint)k)).StoreUnsafe(ref target, (nuint)k);
        // A ragged tail of a row of 16+ codes is one more vector ending at the row's end (overlapping the last one)
        // instead of up to 15 scalar steps: the stem's K = 27 rows are one vector and 11 codes.
        if (k < row.Length && row.Length >= 16)
        {
            nuint last = (nuint)(row.Length - 16);
            Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref source, last)).StoreUnsafe(ref target, last);
            k = row.Length;
        }
        for (; k < row.Length; k++) wide[k] = row[k];
        for (; k < wide.Length; k++) wide[k] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<sbyte> bytes, ref sbyte destination, int count)
    {
        if (count >= 16)
        {
            bytes.StoreUnsafe(ref destination);
            return;
        }
        var words = bytes.AsUInt64();
        Qs8GemmStore.Store16(words.GetElement(0), words.GetElement(1), ref destination, count);
    }
}
