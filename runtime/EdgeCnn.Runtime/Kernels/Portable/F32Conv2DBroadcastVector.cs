using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// One-group NHWC convolution vectorized over output channels: each input value is broadcast and
/// multiplied into a run of output channels, with weights repacked once to [KH,KW,Cin,Cout]. This wins where
/// the dot-product kernel has too few input channels to fill its vectors (e.g. an RGB stem). Needs at least
/// one vector of output channels; the tail is an overlapping last vector.
/// </summary>
public static class F32Conv2DBroadcastVector
{
    public static bool Supports(in Spatial2DGeometry g) => g.Group == 1 && g.OutChannels >= Vector<float>.Count;

    /// <summary>W[Cout,KH,KW,Cin] → [KH,KW,Cin,Cout].</summary>
    public static float[] PackWeights(in Spatial2DGeometry g, ReadOnlySpan<float> w) =>
        WeightPacking.OutputChannelsLast(w, g.OutChannels, g.KernelHeight * g.KernelWidth * g.InChannels);

    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> bias,
        ActivationKind activation, float alpha, float beta, Span<float> y)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(packedWeights);
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int cout = g.OutChannels, lanes = Vector<float>.Count;
        bool hasBias = !bias.IsEmpty;

        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var taps = new Taps(n, ih0, ow * g.StrideW - g.PadLeft, khBegin, khEnd, g.ValidColumns(ow));
                int yBase = ((n * g.OutHeight + oh) * g.OutWidth + ow) * cout;
                int c = 0;
                for (; c + 4 * lanes <= cout; c += 4 * lanes)
                    Block<FourVectors>(g, ref x0, ref w0, ref b0, hasBias, ref y0, taps, yBase, c);
                switch ((cout - c) / lanes)
                {
                    case 3:
                        Block<ThreeVectors>(g, ref x0, ref w0, ref b0, hasBias, ref y0, taps, yBase, c);
                        break;
                    case 2:
                        Block<TwoVectors>(g, ref x0, ref w0, ref b0, hasBias, ref y0, taps, yBase, c);
                        break;
                    case 1:
                        Block<OneVector>(g, ref x0, ref w0, ref b0, hasBias, ref y0, taps, yBase, c);
                        break;
                }
                c = cout - (cout - c) % lanes;
                if (c < cout)
                    Block<OneVector>(g, ref x0, ref w0, ref b0, hasBias, ref y0, taps, yBase, cout - lanes);
                F32Activation.Apply(activation, alpha, beta, y.Slice(yBase, cout));
            }
        }
    }

    private readonly record struct Taps(int N, int Ih0, int Iw0, int KhBegin, int KhEnd, (int Begin, int End) Columns);

    /// <summary>Accumulates TBlock.Count vectors of output channels starting at c over every valid tap and input channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TBlock>(in Spatial2DGeometry g, ref float x0, ref float w0, ref float b0, bool hasBias, ref float y0,
        in Taps t, int yBase, int c) where TBlock : struct, IVectorBlock
    {
        int lanes = Vector<float>.Count, cin = g.InChannels, cout = g.OutChannels;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        if (hasBias)
        {
            a0 = Vector.LoadUnsafe(ref b0, (nuint)c);
            if (TBlock.Count > 1) a1 = Vector.LoadUnsafe(ref b0, (nuint)(c + lanes));
            if (TBlock.Count > 2) a2 = Vector.LoadUnsafe(ref b0, (nuint)(c + 2 * lanes));
            if (TBlock.Count > 3) a3 = Vector.LoadUnsafe(ref b0, (nuint)(c + 3 * lanes));
        }
        for (int kh = t.KhBegin; kh < t.KhEnd; kh++)
        {
            int xRow = (t.N * g.InHeight + t.Ih0 + kh * g.DilationH) * g.InWidth;
            for (int kw = t.Columns.Begin; kw < t.Columns.End; kw++)
            {
                ref float xs = ref Unsafe.Add(ref x0, (xRow + t.Iw0 + kw * g.DilationW) * cin);
                ref float ws = ref Unsafe.Add(ref w0, (kh * g.KernelWidth + kw) * cin * cout + c);
                for (int ic = 0; ic < cin; ic++)
                {
                    var xv = new Vector<float>(Unsafe.Add(ref xs, ic));
                    ref float wr = ref Unsafe.Add(ref ws, ic * cout);
                    a0 += xv * Vector.LoadUnsafe(ref wr);
                    if (TBlock.Count > 1) a1 += xv * Vector.LoadUnsafe(ref wr, (nuint)lanes);
                    if (TBlock.Count > 2) a2 += xv * Vector.LoadUnsafe(ref wr, (nuint)(2 * lanes));
                    if (TBlock.Count > 3) a3 += xv * Vector.LoadUnsafe(ref wr, (nuint)(3 * lanes));
                }
            }
        }
        ref float ys = ref Unsafe.Add(ref y0, yBase + c);
        a0.StoreUnsafe(ref ys);
        if (TBlock.Count > 1) a1.StoreUnsafe(ref ys, (nuint)lanes);
        if (TBlock.Count > 2) a2.StoreUnsafe(ref ys, (nuint)(2 * lanes));
        if (TBlock.Count > 3) a3.StoreUnsafe(ref ys, (nuint)(3 * lanes));
    }
}
