using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// int8 GEMM over packed weights (<see cref="Qs8GemmWeights"/>, Vector128 layout: 8 channels × 1 k as int16) in
/// cross-platform Vector128 code: Y[row, c] = Apply(B'[c] + Σ_k A[row,k]·W[c,k]). A tile of 4 rows × 8 channels:
/// each k broadcasts one input value per row and multiplies it with the 8 weights in int16 (an int8 product always
/// fits), then widens the products into two int32 accumulators. Rows past the last reuse the last row, whose
/// results are not stored.
/// </summary>
public static class Qs8GemmVector128
{
    private const int TileRows = 4;

    /// <param name="input">Row r at input[r·inputStride ..][..Depth].</param>
    /// <param name="output">Row r at output[r·outputStride ..][..GroupOutChannels] (already offset to the group's channels).</param>
    public static void Run(Qs8GemmWeights weights, int group, int rows, ReadOnlySpan<sbyte> input, int inputStride,
        Span<sbyte> output, int outputStride)
    {
        if (weights.Path != KernelPath.Vector128) throw new ArgumentException($"weights packed for {weights.Path}, not Vector128", nameof(weights));
        Qs8GemmStore.CheckSpans(weights, group, rows, input.Length, inputStride, output.Length, outputStride);
        int depth = weights.Depth, channels = weights.GroupOutChannels;
        int firstChannel = group * channels;
        ref sbyte a = ref MemoryMarshal.GetReference(input);
        ref sbyte y = ref MemoryMarshal.GetReference(output);
        ref short groupWeights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights.Int16), group * weights.GroupLength);
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
                ref short w = ref Unsafe.Add(ref groupWeights, b * depth * 8);
                var lowBias = Vector128.LoadUnsafe(ref bias, (nuint)channel);
                var highBias = Vector128.LoadUnsafe(ref bias, (nuint)(channel + 4));
                Vector128<int> l0 = lowBias, h0 = highBias, l1 = lowBias, h1 = highBias;
                Vector128<int> l2 = lowBias, h2 = highBias, l3 = lowBias, h3 = highBias;
                for (int k = 0; k < depth; k++)
                {
                    var wk = Vector128.LoadUnsafe(ref w, (nuint)(k * 8));
                    var p0 = Vector128.Create((short)Unsafe.Add(ref a0, k)) * wk;
                    var p1 = Vector128.Create((short)Unsafe.Add(ref a1, k)) * wk;
                    var p2 = Vector128.Create((short)Unsafe.Add(ref a2, k)) * wk;
                    var p3 = Vector128.Create((short)Unsafe.Add(ref a3, k)) * wk;
                    l0 += Vector128.WidenLower(p0); h0 += Vector128.WidenUpper(p0);
                    l1 += Vector128.WidenLower(p1); h1 += Vector128.WidenUpper(p1);
                    l2 += Vector128.WidenLower(p2); h2 += Vector128.WidenUpper(p2);
                    l3 += Vector128.WidenLower(p3); h3 += Vector128.WidenUpper(p3);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<int> low, Vector128<int> high, Qs8RequantizeLanes lanes, int channel, ref sbyte destination, int count)
    {
        var bytes = Qs8RequantizeVector128.Narrow(Qs8RequantizeVector128.Apply(low, lanes, channel), Qs8RequantizeVector128.Apply(high, lanes, channel + 4));
        Qs8GemmStore.Store8(bytes.AsUInt64().ToScalar(), ref destination, count);
    }
}
