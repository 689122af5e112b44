using System.Runtime.CompilerServices;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>Writes a block's int8 outputs without touching bytes past the channels that exist: whole words where
/// the block is full, single bytes at a ragged edge (the tests pre-fill outputs with a sentinel to catch overruns).</summary>
internal static class Qs8GemmStore
{
    /// <summary>Stores the first min(count, 8) bytes of <paramref name="packed"/> (little-endian) at <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store8(ulong packed, ref sbyte destination, int count)
    {
        if (count >= 8)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref destination), packed);
            return;
        }
        for (int i = 0; i < count; i++) Unsafe.Add(ref destination, i) = (sbyte)(packed >> (8 * i));
    }

    /// <summary>Stores the first min(count, 16) bytes: the low word then the high word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store16(ulong low, ulong high, ref sbyte destination, int count)
    {
        Store8(low, ref destination, count);
        if (count > 8) Store8(high, ref Unsafe.Add(ref destination, 8), count - 8);
    }

    /// <summary>Checks, once per call, that the spans hold every row the kernel will read and write, so the
    /// unchecked inner loops stay inside them.</summary>
    public static void CheckSpans(Qs8GemmWeights weights, int group, int rows, int inputLength, int inputStride,
        int outputLength, int outputStride)
    {
        if ((uint)group >= (uint)weights.Groups) throw new ArgumentOutOfRangeException(nameof(group), group, $"the weights have {weights.Groups} groups");
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must not be negative");
        if (rows == 0) return;
        if (inputStride < 0 || (long)(rows - 1) * inputStride + weights.Depth > inputLength)
            throw new ArgumentException($"the input ({inputLength} values) does not hold {rows} rows of {weights.Depth} at stride {inputStride}");
        if (outputStride < 0 || (long)(rows - 1) * outputStride + weights.GroupOutChannels > outputLength)
            throw new ArgumentException($"the output ({outputLength} values) does not hold {rows} rows of {weights.GroupOutChannels} at stride {outputStride}");
    }
}
