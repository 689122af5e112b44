using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// int8 GEMM over packed weights (<see cref="Qs8GemmWeights"/>, Avx2 layout: 16 channels × 2 k as int16) with AVX2:
/// a tile of 4 rows × 16 channels in 8 accumulators. The tile's rows are first widened to int16 in scratch
/// (<see cref="ScratchBytes"/>); then each pair of k broadcasts one int32 (two int16 inputs) per row and VPMADDWD
/// multiplies it with 8 channels' weight pairs and adds each pair into int32 — 16 exact MACs per instruction
/// (int16 products, their pairwise sums far from int32's limits). Rows past the last reuse the first row's
/// widened copy; their results are not stored.
/// </summary>
public static class Qs8GemmAvx2
{
    private const int TileRows = 4;

    /// <summary>Scratch the kernel needs: the tile's rows widened to int16.</summary>
    public static int ScratchBytes(Qs8GemmWeights weights) =>
        weights.UsesAvx512 ? Qs8GemmAvx512.ScratchBytes(weights) : TileRows * weights.PaddedDepth * sizeof(short);

    public static void Run(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride, Span<byte> scratch)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8GemmAvx2 needs AVX2");
        if (weights.Path != KernelPath.Avx2) throw new ArgumentException($"weights packed for {weights.Path}, not Avx2", nameof(weights));
        Qs8GemmStore.CheckSpans(weights, group, rows, input.Length, inputStride, output.Length, outputStride);
        if (scratch.Length < ScratchBytes(weights)) throw new ArgumentException($"scratch holds {scratch.Length} bytes, the kernel needs {ScratchBytes(weights)}", nameof(scratch));
        // One 4-row tile (a fully connected layer's single row) would waste half of an 8-row tile's multiplies.
        if (weights.UsesAvx512 && rows > TileRows)
        {
            Qs8GemmAvx512.Run(weights, group, rows, input, inputStride, output, outputStride, scratch);
            return;
        }
        if (weights.Avx2OutputStage.Length > 0)
        {
            RunPackedStage(weights, group, rows, input, inputStride, output, outputStride, scratch);
            return;
        }
        int depth = weights.Depth, paddedDepth = weights.PaddedDepth, channels = weights.GroupOutChannels;
        int firstChannel = group * channels;
        var wide = MemoryMarshal.Cast<byte, short>(scratch)[..(TileRows * paddedDepth)];
        ref short x = ref MemoryMarshal.GetReference(wide);
        ref sbyte y = ref MemoryMarshal.GetReference(output);
        ref short groupWeights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Int16), group * weights.GroupLength);
        ref int bias = ref MemoryMarshal.GetArrayDataReference(weights.Bias);
        var lanes = weights.Output;
        int pairs = paddedDepth / 2;

        for (int r = 0; r < rows; r += TileRows)
        {
            int left = Math.Min(TileRows, rows - r);
            for (int i = 0; i < left; i++)
                Widen(input.Slice((r + i) * inputStride, depth), wide.Slice(i * paddedDepth, paddedDepth));
            ref int x0 = ref Unsafe.As<short, int>(ref x);
            ref int x1 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 1 ? paddedDepth : 0));
            ref int x2 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 2 ? 2 * paddedDepth : 0));
            ref int x3 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 3 ? 3 * paddedDepth : 0));
            for (int b = 0; b < weights.Blocks; b++)
            {
                int c = b * 16, channel = firstChannel + c;
                ref short w = ref Unsafe.Add(ref groupWeights, b * paddedDepth * 16);
                var lowBias = Vector256.LoadUnsafe(ref bias, (nuint)channel);
                var highBias = Vector256.LoadUnsafe(ref bias, (nuint)(channel + 8));
                Vector256<int> l0 = lowBias, h0 = highBias, l1 = lowBias, h1 = highBias;
                Vector256<int> l2 = lowBias, h2 = highBias, l3 = lowBias, h3 = highBias;
                for (int p = 0; p < pairs; p++)
                {
                    var wl = Vector256.LoadUnsafe(ref w, (nuint)(p * 32));
                    var wh = Vector256.LoadUnsafe(ref w, (nuint)(p * 32 + 16));
                    var v0 = Vector256.Create(Unsafe.Add(ref x0, p)).AsInt16();
                    var v1 = Vector256.Create(Unsafe.Add(ref x1, p)).AsInt16();
                    var v2 = Vector256.Create(Unsafe.Add(ref x2, p)).AsInt16();
                    var v3 = Vector256.Create(Unsafe.Add(ref x3, p)).AsInt16();
                    l0 = Avx2.Add(l0, Avx2.MultiplyAddAdjacent(v0, wl)); h0 = Avx2.Add(h0, Avx2.MultiplyAddAdjacent(v0, wh));
                    l1 = Avx2.Add(l1, Avx2.MultiplyAddAdjacent(v1, wl)); h1 = Avx2.Add(h1, Avx2.MultiplyAddAdjacent(v1, wh));
                    l2 = Avx2.Add(l2, Avx2.MultiplyAddAdjacent(v2, wl)); h2 = Avx2.Add(h2, Avx2.MultiplyAddAdjacent(v2, wh));
                    l3 = Avx2.Add(l3, Avx2.MultiplyAddAdjacent(v3, wl)); h3 = Avx2.Add(h3, Avx2.MultiplyAddAdjacent(v3, wh));
                }
                int count = channels - c;
                ref sbyte yc = ref Unsafe.Add(ref y, r * outputStride + c);
                Store(l0, h0, lanes, channel, ref yc, count);
                if (left > 1) Store(l1, h1, lanes, channel, ref Unsafe.Add(ref yc, outputStride), count);
                if (left > 2) Store(l2, h2, lanes, channel, ref Unsafe.Add(ref yc, 2 * outputStride), count);
                if (left > 3) Store(l3, h3, lanes, channel, ref Unsafe.Add(ref yc, 3 * outputStride), count);
            }
        }
    }

    /// <summary>
    /// The same tiles with the output stage's constants from <see cref="Qs8GemmWeights.Avx2OutputStage"/> (one base
    /// address per block, loads folded into the arithmetic) and the k loop stepping one weight reference and one
    /// index, so the loop carries no index arithmetic beside its 22 vector instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunPackedStage(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride, Span<byte> scratch)
    {
        int depth = weights.Depth, paddedDepth = weights.PaddedDepth, channels = weights.GroupOutChannels, blocks = weights.Blocks;
        var wide = MemoryMarshal.Cast<byte, short>(scratch)[..(TileRows * paddedDepth)];
        ref short x = ref MemoryMarshal.GetReference(wide);
        ref sbyte y = ref MemoryMarshal.GetReference(output);
        ref short groupWeights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Int16), group * weights.GroupLength);
        ref int groupBias = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Bias), group * channels);
        ref int groupStage = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Avx2OutputStage), group * blocks * Qs8GemmOutputStageAvx2.BlockInts);
        var lanes = weights.Output;
        var zeroPoint = Vector256.Create((short)lanes.ZeroPoint);
        var min = Vector256.Create((short)lanes.Min);
        var max = Vector256.Create((short)lanes.Max);
        nuint pairs = (nuint)(paddedDepth / 2);

        for (int r = 0; r < rows; r += TileRows)
        {
            int left = Math.Min(TileRows, rows - r);
            for (int i = 0; i < left; i++)
                Widen(input.Slice((r + i) * inputStride, depth), wide.Slice(i * paddedDepth, paddedDepth));
            ref int x0 = ref Unsafe.As<short, int>(ref x);
            ref int x1 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 1 ? paddedDepth : 0));
            ref int x2 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 2 ? 2 * paddedDepth : 0));
            ref int x3 = ref Unsafe.As<short, int>(ref Unsafe.Add(ref x, left > 3 ? 3 * paddedDepth : 0));
            ref sbyte yr = ref Unsafe.Add(ref y, r * outputStride);
            ref short w = ref groupWeights;
            for (int b = 0; b < blocks; b++)
            {
                int c = b * 16;
                var lowBias = Vector256.LoadUnsafe(ref groupBias, (nuint)c);
                var highBias = Vector256.LoadUnsafe(ref groupBias, (nuint)(c + 8));
                Vector256<int> l0 = lowBias, h0 = highBias, l1 = lowBias, h1 = highBias;
                Vector256<int> l2 = lowBias, h2 = highBias, l3 = lowBias, h3 = highBias;
                for (nuint p = 0; p < pairs; p++)
                {
                    var wl = Vector256.LoadUnsafe(ref w);
                    var wh = Vector256.LoadUnsafe(ref w, 16);
                    w = ref Unsafe.Add(ref w, 32);
                    var v0 = Vector256.Create(Unsafe.Add(ref x0, p)).AsInt16();
                    var v1 = Vector256.Create(Unsafe.Add(ref x1, p)).AsInt16();
                    var v2 = Vector256.Create(Unsafe.Add(ref x2, p)).AsInt16();
                    var v3 = Vector256.Create(Unsafe.Add(ref x3, p)).AsInt16();
                    l0 = Avx2.Add(l0, Avx2.MultiplyAddAdjacent(v0, wl)); h0 = Avx2.Add(h0, Avx2.MultiplyAddAdjacent(v0, wh));
                    l1 = Avx2.Add(l1, Avx2.MultiplyAddAdjacent(v1, wl)); h1 = Avx2.Add(h1, Avx2.MultiplyAddAdjacent(v1, wh));
                    l2 = Avx2.Add(l2, Avx2.MultiplyAddAdjacent(v2, wl)); h2 = Avx2.Add(h2, Avx2.MultiplyAddAdjacent(v2, wh));
                    l3 = Avx2.Add(l3, Avx2.MultiplyAddAdjacent(v3, wl)); h3 = Avx2.Add(h3, Avx2.MultiplyAddAdjacent(v3, wh));
                }
                ref int stage = ref Unsafe.Add(ref groupStage, b * Qs8GemmOutputStageAvx2.BlockInts);
                int count = channels - c;
                ref sbyte yc = ref Unsafe.Add(ref yr, c);
                Store(Qs8GemmOutputStageAvx2.Requantize16(l0, h0, ref stage, zeroPoint, min, max), ref yc, count);
                if (left > 1) Store(Qs8GemmOutputStageAvx2.Requantize16(l1, h1, ref stage, zeroPoint, min, max), ref Unsafe.Add(ref yc, outputStride), count);
                if (left > 2) Store(Qs8GemmOutputStageAvx2.Requantize16(l2, h2, ref stage, zeroPoint, min, max), ref Unsafe.Add(ref yc, 2 * outputStride), count);
                if (left > 3) Store(Qs8GemmOutputStageAvx2.Requantize16(l3, h3, ref stage, zeroPoint, min, max), ref Unsafe.Add(ref yc, 3 * outputStride), count);
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
    private static void Store(Vector256<int> low, Vector256<int> high, Qs8RequantizeLanes lanes, int channel, ref sbyte destination, int count) =>
        Store(Qs8RequantizeAvx2.Requantize16(low, high, lanes, channel), ref destination, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<sbyte> bytes, ref sbyte destination, int count)
    {
        // A full block is one 16-byte store; only a ragged last block goes through the word and byte stores.
        if (count >= 16)
        {
            bytes.StoreUnsafe(ref destination);
            return;
        }
        var words = bytes.AsUInt64();
        Qs8GemmStore.Store16(words.GetElement(0), words.GetElement(1), ref destination, count);
    }
}
