using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The AVX2 GEMM's output stage for the common case (<see cref="Applies"/>: no channel with a left shift or the
/// multiplier −2³¹, an int8 zero point), with its per-channel constants packed once at Prepare in the order the
/// kernel walks them: per group and 16-channel block, five vectors of 16 ints — the multiplier, the next lane's
/// multiplier (VPMULDQ reads even lanes), the right shift, its remainder mask and rounding threshold. One base
/// address then serves a whole block and every constant is a folded memory operand; the general stage
/// (<see cref="Qs8RequantizeAvx2.Requantize16"/>) reloads five array references, with their null checks, and
/// tests three flags for every 16 outputs, which the profile showed costing as much as a small-depth 1×1
/// convolution's multiplies. Bit for bit that general stage (the same operations on the same values); the 512-bit
/// form (<see cref="Requantize16Avx512"/>) does them on 16 lanes at once.
/// </summary>
public static class Qs8GemmOutputStageAvx2
{
    /// <summary>Ints per 16-channel block: five vectors of 16 lanes.</summary>
    public const int BlockInts = 80;

    private const int NextMultiplierAt = 16, RightShiftAt = 32, RemainderMaskAt = 48, ThresholdAt = 64;

    /// <summary>Whether this stage gives the general stage's bytes for these lanes.</summary>
    public static bool Applies(Qs8RequantizeLanes lanes) => !lanes.HasLeftShift && !lanes.HasMinMultiplier && lanes.ClampsInInt16;

    /// <summary>The table for weights of <paramref name="groups"/> groups of <paramref name="groupChannels"/> output
    /// channels in <paramref name="blocks"/> 16-channel blocks each; lanes past a group's channels are 0 (their
    /// outputs are never stored).</summary>
    public static int[] Pack(Qs8RequantizeLanes lanes, int groups, int groupChannels, int blocks)
    {
        var table = new int[groups * blocks * BlockInts];
        Span<int> order = stackalloc int[16];
        for (int g = 0; g < groups; g++)
        for (int b = 0; b < blocks; b++)
        {
            for (int j = 0; j < 16; j++) order[j] = b * 16 + j < groupChannels ? g * groupChannels + b * 16 + j : -1;
            PackBlock(lanes, order, table.AsSpan((g * blocks + b) * BlockInts, BlockInts));
        }
        return table;
    }

    /// <summary>Writes one block's constants for the channels <paramref name="order"/> lists lane by lane (−1: a
    /// padding lane, all 0); kernels whose accumulators hold channels in another order pack them in that order.</summary>
    public static void PackBlock(Qs8RequantizeLanes lanes, ReadOnlySpan<int> order, Span<int> block)
    {
        if (order.Length != 16 || block.Length != BlockInts)
            throw new ArgumentException($"a block has 16 lanes and {BlockInts} ints, not {order.Length} and {block.Length}");
        block.Clear();
        for (int j = 0; j < 16; j++)
        {
            int channel = order[j];
            if (channel < 0) continue;
            block[j] = lanes.Multiplier[channel];
            if (j > 0) block[NextMultiplierAt + j - 1] = lanes.Multiplier[channel];
            block[RightShiftAt + j] = lanes.RightShift[channel];
            block[RemainderMaskAt + j] = lanes.RemainderMask[channel];
            block[ThresholdAt + j] = lanes.RoundingThreshold[channel];
        }
    }

    /// <summary>Sixteen outputs as bytes (a's eight channels then b's eight) with the constants of one block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Requantize16(Vector256<int> a, Vector256<int> b, ref int block,
        Vector256<short> zeroPoint, Vector256<short> min, Vector256<short> max)
    {
        // A scaled value outside int16 saturates in the pack and is clamped to the bound it lies beyond either way.
        var packed = Avx2.PackSignedSaturate(Scale(a, ref block), Scale(b, ref Unsafe.Add(ref block, 8)));
        var shorts = Avx2.Permute4x64(packed.AsInt64(), 0b11_01_10_00).AsInt16();
        shorts = Avx2.Min(Avx2.Max(Avx2.AddSaturate(shorts, zeroPoint), min), max);
        return Sse2.PackSignedSaturate(shorts.GetLower(), shorts.GetUpper());
    }

    /// <summary>Sixteen outputs as bytes from accumulators whose lanes hold channels 0–3, 8–11 (a) and 4–7, 12–15 (b),
    /// as two int16 unpacks leave them, with a block packed in that lane order: the in-lane pack of a and b is then
    /// already in channel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Requantize16Unpacked(Vector256<int> a, Vector256<int> b, ref int block,
        Vector256<short> zeroPoint, Vector256<short> min, Vector256<short> max)
    {
        var shorts = Avx2.PackSignedSaturate(Scale(a, ref block), Scale(b, ref Unsafe.Add(ref block, 8)));
        shorts = Avx2.Min(Avx2.Max(Avx2.AddSaturate(shorts, zeroPoint), min), max);
        return Sse2.PackSignedSaturate(shorts.GetLower(), shorts.GetUpper());
    }

    /// <summary>SQRDMULH (even and odd lanes from two VPMULDQ) then the rounding right shift, as
    /// <see cref="Qs8RequantizeAvx2"/> without its left-shift and −2³¹ steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Scale(Vector256<int> s, ref int lanes)
    {
        var round = Vector256.Create(1L << 30);
        var even = Avx2.Add(Avx2.Multiply(s, Vector256.LoadUnsafe(ref lanes)), round);
        var odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(s.AsInt64(), 32).AsInt32(), Vector256.LoadUnsafe(ref lanes, NextMultiplierAt)), round);
        var h = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        var threshold = Avx2.Subtract(Vector256.LoadUnsafe(ref lanes, ThresholdAt), Avx2.ShiftRightArithmetic(h, 31));
        var roundsUp = Avx2.CompareGreaterThan(Avx2.And(h, Vector256.LoadUnsafe(ref lanes, RemainderMaskAt)), threshold);
        return Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(h, Vector256.LoadUnsafe(ref lanes, RightShiftAt).AsUInt32()), roundsUp);
    }

    /// <summary>Sixteen outputs as bytes from one 512-bit accumulator holding a block's 16 channels in order, with
    /// the same steps on 16 lanes; the clamp runs on int32 (to [Min − zp, Max − zp], then + zp, as the general
    /// stage without the int16 shortcut) and VPMOVSDB narrows values already inside int8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Requantize16Avx512(Vector512<int> s, ref int block, Vector512<int> low, Vector512<int> high, Vector512<int> zeroPoint)
    {
        var round = Vector512.Create(1L << 30);
        var even = Avx512F.Add(Avx512F.Multiply(s, Vector512.LoadUnsafe(ref block)), round);
        var odd = Avx512F.Add(Avx512F.Multiply(Avx512F.ShiftRightLogical(s.AsInt64(), 32).AsInt32(), Vector512.LoadUnsafe(ref block, NextMultiplierAt)), round);
        var h = Vector512.ConditionalSelect(OddLanes, Avx512F.ShiftLeftLogical(odd, 1).AsInt32(), Avx512F.ShiftRightLogical(even, 31).AsInt32());
        var threshold = Avx512F.Subtract(Vector512.LoadUnsafe(ref block, ThresholdAt), Avx512F.ShiftRightArithmetic(h, 31));
        var roundsUp = Avx512F.CompareGreaterThan(Avx512F.And(h, Vector512.LoadUnsafe(ref block, RemainderMaskAt)), threshold);
        var q = Avx512F.Subtract(Avx512F.ShiftRightArithmeticVariable(h, Vector512.LoadUnsafe(ref block, RightShiftAt).AsUInt32()), roundsUp);
        return Avx512F.ConvertToVector128SByteWithSaturation(Avx512F.Add(Avx512F.Min(Avx512F.Max(q, low), high), zeroPoint));
    }

    /// <summary>All ones in the odd int32 lanes: where the odd products' high words go.</summary>
    private static Vector512<int> OddLanes => Vector512.Create(0xFFFF_FFFF_0000_0000UL).AsInt32();
}
