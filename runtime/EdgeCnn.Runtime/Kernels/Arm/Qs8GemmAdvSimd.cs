using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeCnn.Runtime.Kernels.Arm;

/// <summary>
/// int8 GEMM over packed weights (<see cref="Qs8GemmWeights"/>, AdvSimd layout: 8 channels × 2 k as bytes) for ARM64
/// without the dot product (Cortex-A72): a tile of 4 rows × 8 channels. Each pair of k broadcasts the two inputs of a
/// row (DUP .8H) and SMULL/SMULL2 multiply them with the 16 weight bytes into int16 products ordered
/// (c0k0, c0k1, c1k0, ...); SADALP adds each channel's two products into its int32 accumulator. When no weight is
/// −128 (<see cref="Qs8GemmWeights.PairsFitInt16"/>), SMLAL/SMLAL2 first add the next pair's products in int16
/// (two products per int16 lane: |sum| ≤ 2·128·127 = 32512), halving the SADALPs.
/// Rows past the last reuse the last row; their results are not stored.
/// </summary>
public static class Qs8GemmAdvSimd
{
    private const int TileRows = 4;

    public static void Run(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride)
    {
        if (!AdvSimd.IsSupported) throw new PlatformNotSupportedException("Qs8GemmAdvSimd needs ARM AdvSimd");
        if (weights.Path != KernelPath.AdvSimd) throw new ArgumentException($"weights packed for {weights.Path}, not AdvSimd", nameof(weights));
        Qs8GemmStore.CheckSpans(weights, group, rows, input.Length, inputStride, output.Length, outputStride);
        int depth = weights.Depth, channels = weights.GroupOutChannels;
        int firstChannel = group * channels;
        // Full pairs of k, and with SMLAL two of them per step; an odd depth leaves one k, paired with a zero input.
        int fullPairs = depth / 2;
        int doubledPairs = weights.PairsFitInt16 ? fullPairs / 2 * 2 : 0;
        ref sbyte a = ref MemoryMarshal.GetReference(input);
        ref sbyte y = ref MemoryMarshal.GetReference(output);
        ref sbyte groupWeights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Int8), group * weights.GroupLength);
        ref int bias = ref MemoryMarshal.GetArrayDataReference(weights.Bias);
        var lanes = weights.Output;

        for (int r = 0; r < rows; r += TileRows)
        {
            ref sbyte a0 = ref Unsafe.Add(ref a, r * inputStride);
            ref sbyte a1 = ref Unsafe.Add(ref a, Math.Min(r + 1, rows - 1) * inputStride);
            ref sbyte a2 = ref Unsafe.Add(ref a, Math.Min(r + 2, rows - 1) * inputStride);
            ref sbyte a3 = ref Unsafe.Add(ref a, Math.Min(r + 3, rows - 1) * inputStride);
            for (int b = 0; b < weights.Blocks; b++)
            {
                int c = b * 8, channel = firstChannel + c;
                ref sbyte w = ref Unsafe.Add(ref groupWeights, b * weights.PaddedDepth * 8);
                var lowBias = Vector128.LoadUnsafe(ref bias, (nuint)channel);
                var highBias = Vector128.LoadUnsafe(ref bias, (nuint)(channel + 4));
                Vector128<int> l0 = lowBias, h0 = highBias, l1 = lowBias, h1 = highBias;
                Vector128<int> l2 = lowBias, h2 = highBias, l3 = lowBias, h3 = highBias;
                int p = 0;
                for (; p < doubledPairs; p += 2)
                {
                    var w0 = Vector128.LoadUnsafe(ref w, (nuint)(p * 16));
                    var w1 = Vector128.LoadUnsafe(ref w, (nuint)(p * 16 + 16));
                    TwoPairs(Pair(ref a0, 2 * p), Pair(ref a0, 2 * p + 2), w0, w1, ref l0, ref h0);
                    TwoPairs(Pair(ref a1, 2 * p), Pair(ref a1, 2 * p + 2), w0, w1, ref l1, ref h1);
                    TwoPairs(Pair(ref a2, 2 * p), Pair(ref a2, 2 * p + 2), w0, w1, ref l2, ref h2);
                    TwoPairs(Pair(ref a3, 2 * p), Pair(ref a3, 2 * p + 2), w0, w1, ref l3, ref h3);
                }
                for (; p < fullPairs; p++)
                {
                    var w0 = Vector128.LoadUnsafe(ref w, (nuint)(p * 16));
                    OnePair(Pair(ref a0, 2 * p), w0, ref l0, ref h0);
                    OnePair(Pair(ref a1, 2 * p), w0, ref l1, ref h1);
                    OnePair(Pair(ref a2, 2 * p), w0, ref l2, ref h2);
                    OnePair(Pair(ref a3, 2 * p), w0, ref l3, ref h3);
                }
                if (depth % 2 != 0)
                {
                    var w0 = Vector128.LoadUnsafe(ref w, (nuint)(p * 16));
                    int k = 2 * p;
                    OnePair(Vector128.Create((ushort)(byte)Unsafe.Add(ref a0, k)).AsSByte(), w0, ref l0, ref h0);
                    OnePair(Vector128.Create((ushort)(byte)Unsafe.Add(ref a1, k)).AsSByte(), w0, ref l1, ref h1);
                    OnePair(Vector128.Create((ushort)(byte)Unsafe.Add(ref a2, k)).AsSByte(), w0, ref l2, ref h2);
                    OnePair(Vector128.Create((ushort)(byte)Unsafe.Add(ref a3, k)).AsSByte(), w0, ref l3, ref h3);
                }
                int count = channels - c, left = rows - r;
                ref sbyte yc = ref Unsafe.Add(ref y, r * outputStride + c);
                Store(l0, h0, lanes, channel, ref yc, count);
                if (left > 1) Store(l1, h1, lanes, channel, ref Unsafe.Add(ref yc, outputStride), count);
                if (left > 2) Store(l2, h2, lanes, channel, ref Unsafe.Add(ref yc, 2 * outputStride), count);
                if (left > 3) Store(l3, h3, lanes, channel, ref Unsafe.Add(ref yc, 3 * outputStride), count);
            }
        }
    }

    /// <summary>Inputs k and k+1 of a row repeated over the vector (DUP .8H): byte 2j is x[k], byte 2j+1 is x[k+1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> Pair(ref sbyte row, int k) =>
        Vector128.Create(Unsafe.ReadUnaligned<ushort>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref row, k)))).AsSByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OnePair(Vector128<sbyte> x, Vector128<sbyte> w, ref Vector128<int> low, ref Vector128<int> high)
    {
        low = AdvSimd.AddPairwiseWideningAndAdd(low, AdvSimd.MultiplyWideningLower(x.GetLower(), w.GetLower()));
        high = AdvSimd.AddPairwiseWideningAndAdd(high, AdvSimd.MultiplyWideningUpper(x, w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoPairs(Vector128<sbyte> x0, Vector128<sbyte> x1, Vector128<sbyte> w0, Vector128<sbyte> w1,
        ref Vector128<int> low, ref Vector128<int> high)
    {
        var lowProducts = AdvSimd.MultiplyWideningLowerAndAdd(AdvSimd.MultiplyWideningLower(x0.GetLower(), w0.GetLower()), x1.GetLower(), w1.GetLower());
        var highProducts = AdvSimd.MultiplyWideningUpperAndAdd(AdvSimd.MultiplyWideningUpper(x0, w0), x1, w1);
        low = AdvSimd.AddPairwiseWideningAndAdd(low, lowProducts);
        high = AdvSimd.AddPairwiseWideningAndAdd(high, highProducts);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<int> low, Vector128<int> high, Qs8RequantizeLanes lanes, int channel, ref sbyte destination, int count)
    {
        var bytes = Qs8RequantizeAdvSimd.Narrow(Qs8RequantizeAdvSimd.Apply(low, lanes, channel), Qs8RequantizeAdvSimd.Apply(high, lanes, channel + 4));
        Qs8GemmStore.Store8(bytes.AsUInt64().ToScalar(), ref destination, count);
    }
}
