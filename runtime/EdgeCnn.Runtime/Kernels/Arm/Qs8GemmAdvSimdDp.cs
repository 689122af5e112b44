using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeCnn.Runtime.Kernels.Arm;

/// <summary>
/// int8 GEMM over packed weights (<see cref="Qs8GemmWeights"/>, AdvSimdDp layout: 8 channels × 4 k as bytes) for
/// ARM64 with the dot product (Cortex-A76): a tile of 4 rows × 8 channels. Each quadruplet of k broadcasts four
/// input bytes of a row (one int32) and SDOT adds, per channel, the four products with that channel's four weights
/// into its int32 lane: 16 exact MACs per instruction, no int16 step. A depth not divisible by 4 ends with a
/// quadruplet padded with zero inputs (the weights there are 0 as well). Where 16 k remain, each row's 16 input bytes
/// are loaded once and SDOT by element (<see cref="Dp.DotProductBySelectedQuadruplet"/>) takes the quadruplets from
/// their lanes. Rows past the last reuse the last row.
/// </summary>
public static class Qs8GemmAdvSimdDp
{
    private const int TileRows = 4;

    public static void Run(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride)
    {
        if (!Dp.IsSupported || !AdvSimd.IsSupported) throw new PlatformNotSupportedException("Qs8GemmAdvSimdDp needs ARM AdvSimd with the dot product");
        if (weights.Path != KernelPath.AdvSimdDp) throw new ArgumentException($"weights packed for {weights.Path}, not AdvSimdDp", nameof(weights));
        Qs8GemmStore.CheckSpans(weights, group, rows, input.Length, inputStride, output.Length, outputStride);
        int depth = weights.Depth, channels = weights.GroupOutChannels;
        int firstChannel = group * channels;
        int fullQuads = depth / 4;
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
                int q = 0;
                // Sixteen k at a time: one 16-byte load per row, and SDOT by element picks each quadruplet from it,
                // which saves the per-quadruplet broadcasts of the loop below.
                for (; q + 4 <= fullQuads; q += 4)
                {
                    var x0 = Vector128.LoadUnsafe(ref a0, (nuint)(4 * q));
                    var x1 = Vector128.LoadUnsafe(ref a1, (nuint)(4 * q));
                    var x2 = Vector128.LoadUnsafe(ref a2, (nuint)(4 * q));
                    var x3 = Vector128.LoadUnsafe(ref a3, (nuint)(4 * q));
                    ref sbyte wq = ref Unsafe.Add(ref w, q * 32);
                    Sixteen(ref wq, x0, x1, x2, x3, ref l0, ref h0, ref l1, ref h1, ref l2, ref h2, ref l3, ref h3);
                }
                for (; q < fullQuads; q++)
                {
                    var wl = Vector128.LoadUnsafe(ref w, (nuint)(q * 32));
                    var wh = Vector128.LoadUnsafe(ref w, (nuint)(q * 32 + 16));
                    var x0 = Quad(ref a0, 4 * q);
                    var x1 = Quad(ref a1, 4 * q);
                    var x2 = Quad(ref a2, 4 * q);
                    var x3 = Quad(ref a3, 4 * q);
                    l0 = Dp.DotProduct(l0, wl, x0); h0 = Dp.DotProduct(h0, wh, x0);
                    l1 = Dp.DotProduct(l1, wl, x1); h1 = Dp.DotProduct(h1, wh, x1);
                    l2 = Dp.DotProduct(l2, wl, x2); h2 = Dp.DotProduct(h2, wh, x2);
                    l3 = Dp.DotProduct(l3, wl, x3); h3 = Dp.DotProduct(h3, wh, x3);
                }
                int rest = depth - 4 * q;
                if (rest > 0)
                {
                    var wl = Vector128.LoadUnsafe(ref w, (nuint)(q * 32));
                    var wh = Vector128.LoadUnsafe(ref w, (nuint)(q * 32 + 16));
                    var x0 = PartialQuad(ref a0, 4 * q, rest);
                    var x1 = PartialQuad(ref a1, 4 * q, rest);
                    var x2 = PartialQuad(ref a2, 4 * q, rest);
                    var x3 = PartialQuad(ref a3, 4 * q, rest);
                    l0 = Dp.DotProduct(l0, wl, x0); h0 = Dp.DotProduct(h0, wh, x0);
                    l1 = Dp.DotProduct(l1, wl, x1); h1 = Dp.DotProduct(h1, wh, x1);
                    l2 = Dp.DotProduct(l2, wl, x2); h2 = Dp.DotProduct(h2, wh, x2);
                    l3 = Dp.DotProduct(l3, wl, x3); h3 = Dp.DotProduct(h3, wh, x3);
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

    /// <summary>Four quadruplets of k (64 weight bytes for 8 channels) against 16 input bytes per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sixteen(ref sbyte w, Vector128<sbyte> x0, Vector128<sbyte> x1, Vector128<sbyte> x2, Vector128<sbyte> x3,
        ref Vector128<int> l0, ref Vector128<int> h0, ref Vector128<int> l1, ref Vector128<int> h1,
        ref Vector128<int> l2, ref Vector128<int> h2, ref Vector128<int> l3, ref Vector128<int> h3)
    {
        var wl = Vector128.LoadUnsafe(ref w);
        var wh = Vector128.LoadUnsafe(ref w, 16);
        l0 = Dp.DotProductBySelectedQuadruplet(l0, wl, x0, 0); h0 = Dp.DotProductBySelectedQuadruplet(h0, wh, x0, 0);
        l1 = Dp.DotProductBySelectedQuadruplet(l1, wl, x1, 0); h1 = Dp.DotProductBySelectedQuadruplet(h1, wh, x1, 0);
        l2 = Dp.DotProductBySelectedQuadruplet(l2, wl, x2, 0); h2 = Dp.DotProductBySelectedQuadruplet(h2, wh, x2, 0);
        l3 = Dp.DotProductBySelectedQuadruplet(l3, wl, x3, 0); h3 = Dp.DotProductBySelectedQuadruplet(h3, wh, x3, 0);
        wl = Vector128.LoadUnsafe(ref w, 32);
        wh = Vector128.LoadUnsafe(ref w, 48);
        l0 = Dp.DotProductBySelectedQuadruplet(l0, wl, x0, 1); h0 = Dp.DotProductBySelectedQuadruplet(h0, wh, x0, 1);
        l1 = Dp.DotProductBySelectedQuadruplet(l1, wl, x1, 1); h1 = Dp.DotProductBySelectedQuadruplet(h1, wh, x1, 1);
        l2 = Dp.DotProductBySelectedQuadruplet(l2, wl, x2, 1); h2 = Dp.DotProductBySelectedQuadruplet(h2, wh, x2, 1);
        l3 = Dp.DotProductBySelectedQuadruplet(l3, wl, x3, 1); h3 = Dp.DotProductBySelectedQuadruplet(h3, wh, x3, 1);
        wl = Vector128.LoadUnsafe(ref w, 64);
        wh = Vector128.LoadUnsafe(ref w, 80);
        l0 = Dp.DotProductBySelectedQuadruplet(l0, wl, x0, 2); h0 = Dp.DotProductBySelectedQuadruplet(h0, wh, x0, 2);
        l1 = Dp.DotProductBySelectedQuadruplet(l1, wl, x1, 2); h1 = Dp.DotProductBySelectedQuadruplet(h1, wh, x1, 2);
        l2 = Dp.DotProductBySelectedQuadruplet(l2, wl, x2, 2); h2 = Dp.DotProductBySelectedQuadruplet(h2, wh, x2, 2);
        l3 = Dp.DotProductBySelectedQuadruplet(l3, wl, x3, 2); h3 = Dp.DotProductBySelectedQuadruplet(h3, wh, x3, 2);
        wl = Vector128.LoadUnsafe(ref w, 96);
        wh = Vector128.LoadUnsafe(ref w, 112);
        l0 = Dp.DotProductBySelectedQuadruplet(l0, wl, x0, 3); h0 = Dp.DotProductBySelectedQuadruplet(h0, wh, x0, 3);
        l1 = Dp.DotProductBySelectedQuadruplet(l1, wl, x1, 3); h1 = Dp.DotProductBySelectedQuadruplet(h1, wh, x1, 3);
        l2 = Dp.DotProductBySelectedQuadruplet(l2, wl, x2, 3); h2 = Dp.DotProductBySelectedQuadruplet(h2, wh, x2, 3);
        l3 = Dp.DotProductBySelectedQuadruplet(l3, wl, x3, 3); h3 = Dp.DotProductBySelectedQuadruplet(h3, wh, x3, 3);
    }

    /// <summary>Inputs k..k+3 of a row repeated in every 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> Quad(ref sbyte row, int k) =>
        Vector128.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref row, k)))).AsSByte();

    /// <summary>The last 1..3 inputs of a row, zero-filled to a quadruplet, without reading past the row.</summary>
    private static Vector128<sbyte> PartialQuad(ref sbyte row, int k, int count)
    {
        uint quad = 0;
        for (int i = 0; i < count; i++) quad |= (uint)(byte)Unsafe.Add(ref row, k + i) << (8 * i);
        return Vector128.Create(quad).AsSByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<int> low, Vector128<int> high, Qs8RequantizeLanes lanes, int channel, ref sbyte destination, int count)
    {
        var bytes = Qs8RequantizeAdvSimd.Narrow(Qs8RequantizeAdvSimd.Apply(low, lanes, channel), Qs8RequantizeAdvSimd.Apply(high, lanes, channel + 4));
        Qs8GemmStore.Store8(bytes.AsUInt64().ToScalar(), ref destination, count);
    }
}
