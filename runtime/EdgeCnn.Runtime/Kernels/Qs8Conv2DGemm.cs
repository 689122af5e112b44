using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The int8 NHWC convolution (any kernel size, stride, dilation, padding, groups) as GEMMs over weights packed for
/// a vector path (<see cref="Qs8GemmWeights"/>, depth KH·KW·Cin/g), bit-exact with
/// <see cref="Reference.Qs8Conv2DReference"/>:
/// <list type="bullet">
/// <item>1×1 windows that stay inside the input (no padding, one group) read the input rows in place: one GEMM
/// over all pixels at stride 1, else one per output row with the input stride SW·Cin;</item>
/// <item>everything else gathers a tile of output pixels' windows (im2col rows, padding filled with the input zero
/// point, which the folded bias cancels like any input) into scratch, at most <see cref="TileBytes"/> at a time
/// rather than a whole-image im2col buffer, and runs the GEMM on the tile, group by group.</item>
/// </list>
/// </summary>
public static class Qs8Conv2DGemm
{
    /// <summary>The size one im2col tile aims at: small enough to stay in L1/L2 next to the weights.</summary>
    public const int TileBytes = 32 * 1024;

    /// <summary>Whether the input rows serve as the GEMM's rows directly (no gathering).</summary>
    public static bool ReadsInputInPlace(in Spatial2DGeometry g) =>
        g.KernelHeight == 1 && g.KernelWidth == 1 && g.Group == 1 && g.PadTop == 0 && g.PadLeft == 0
        && (long)(g.OutHeight - 1) * g.StrideH < g.InHeight && (long)(g.OutWidth - 1) * g.StrideW < g.InWidth;

    /// <summary>Output pixels per im2col tile: a multiple of the GEMMs' 4-row tiles, 4..256.</summary>
    public static int TilePixels(in Spatial2DGeometry g)
    {
        int depth = g.KernelHeight * g.KernelWidth * g.InGroupChannels;
        return Math.Clamp(TileBytes / Math.Max(depth, 1), 4, 256) / 4 * 4;
    }

    /// <summary>Scratch <see cref="Run"/> needs: the im2col tile (16-byte aligned) and the GEMM's own.</summary>
    public static int ScratchBytes(in Spatial2DGeometry g, Qs8GemmWeights weights)
    {
        long tile = ReadsInputInPlace(g) ? 0 : ((long)TilePixels(g) * weights.Depth + 15) / 16 * 16;
        return checked((int)(tile + Qs8Gemm.ScratchBytes(weights)));
    }

    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, Qs8GemmWeights weights,
        Span<sbyte> y, Span<byte> scratch)
    {
        if (weights.Groups != g.Group || weights.GroupOutChannels != g.OutGroupChannels
            || weights.Depth != g.KernelHeight * g.KernelWidth * g.InGroupChannels)
            throw new ArgumentException($"weights packed for {weights.Groups} groups of {weights.GroupOutChannels} channels of depth {weights.Depth} do not fit this convolution", nameof(weights));
        // Padding taps hold the zero point as an input byte, so it must be one (an Int8 tensor's always is).
        if (xZeroPoint < sbyte.MinValue || xZeroPoint > sbyte.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(xZeroPoint), xZeroPoint, "an int8 input's zero point lies in -128..127");
        if (ReadsInputInPlace(g))
        {
            RunPointwise(g, x, weights, y, scratch);
            return;
        }
        int tilePixels = TilePixels(g), depth = weights.Depth;
        int tileBytes = (tilePixels * depth + 15) / 16 * 16;
        var tile = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(scratch[..tileBytes]);
        var gemmScratch = scratch[tileBytes..];
        int pixels = g.OutHeight * g.OutWidth;
        for (int n = 0; n < g.Batch; n++)
        for (int first = 0; first < pixels; first += tilePixels)
        {
            int count = Math.Min(tilePixels, pixels - first);
            for (int group = 0; group < g.Group; group++)
            {
                Gather(g, x, xZeroPoint, n, first, count, group, tile);
                int outputStart = (n * pixels + first) * g.OutChannels + group * g.OutGroupChannels;
                Qs8Gemm.Run(weights, group, count, tile, depth, y[outputStart..], g.OutChannels, gemmScratch);
            }
        }
    }

    private static void RunPointwise(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Qs8GemmWeights weights, Span<sbyte> y, Span<byte> scratch)
    {
        if (g.StrideH == 1 && g.StrideW == 1 && g.OutHeight == g.InHeight && g.OutWidth == g.InWidth)
        {
            Qs8Gemm.Run(weights, 0, g.Batch * g.InHeight * g.InWidth, x, g.InChannels, y, g.OutChannels, scratch);
            return;
        }
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            int inputStart = (n * g.InHeight + oh * g.StrideH) * g.InWidth * g.InChannels;
            int outputStart = (n * g.OutHeight + oh) * g.OutWidth * g.OutChannels;
            Qs8Gemm.Run(weights, 0, g.OutWidth, x[inputStart..], g.StrideW * g.InChannels, y[outputStart..], g.OutChannels, scratch);
        }
    }

    /// <summary>Writes the windows of output pixels first..first+count−1 of image n, group channels only, as rows of
    /// KH·KW·Cin/g bytes in the weights' (kh, kw, channel) order; taps outside the input hold the zero point.</summary>
    private static void Gather(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, int n, int first, int count,
        int group, Span<sbyte> tile)
    {
        int cpg = g.InGroupChannels, depth = g.KernelHeight * g.KernelWidth * cpg;
        sbyte pad = (sbyte)xZeroPoint;
        // With one group and undilated columns, a window row's taps inside the input are one contiguous run of
        // input bytes: one copy instead of one per tap (the first layer's 3-channel taps are tiny).
        bool contiguousColumns = g.Group == 1 && g.DilationW == 1;
        for (int i = 0; i < count; i++)
        {
            int oh = (first + i) / g.OutWidth, ow = (first + i) % g.OutWidth;
            var row = tile.Slice(i * depth, depth);
            if (contiguousColumns)
            {
                GatherContiguous(g, x, pad, n, oh, ow, row);
                continue;
            }
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH;
                var taps = row.Slice(kh * g.KernelWidth * cpg, g.KernelWidth * cpg);
                if (ih < 0 || ih >= g.InHeight)
                {
                    taps.Fill(pad);
                    continue;
                }
                int rowStart = (n * g.InHeight + ih) * g.InWidth;
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                    var tap = taps.Slice(kw * cpg, cpg);
                    if (iw < 0 || iw >= g.InWidth) tap.Fill(pad);
                    else x.Slice((rowStart + iw) * g.InChannels + group * cpg, cpg).CopyTo(tap);
                }
            }
        }
    }

    /// <summary>Copies a window row's run of input bytes: 8 to 16 bytes (the stem's 3 columns × 3 channels) as two
    /// overlapping 8-byte moves inside both spans, which a general copy call costs several times over.</summary>
    private static void CopyRun(ReadOnlySpan<sbyte> source, Span<sbyte> target)
    {
        int length = source.Length;
        if (length < 8 || length > 16 || target.Length != length)
        {
            source.CopyTo(target);
            return;
        }
        ref byte from = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(source));
        ref byte to = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(target));
        ulong head = Unsafe.ReadUnaligned<ulong>(ref from);
        ulong tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, length - 8));
        Unsafe.WriteUnaligned(ref to, head);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 8), tail);
    }

    /// <summary>One output pixel's window for one group with undilated columns: per window row, padding bytes, the
    /// run of valid columns copied at once, padding bytes.</summary>
    private static void GatherContiguous(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, sbyte pad, int n, int oh, int ow, Span<sbyte> row)
    {
        int channels = g.InChannels, rowBytes = g.KernelWidth * channels;
        int top = oh * g.StrideH - g.PadTop, left = ow * g.StrideW - g.PadLeft;
        // Most windows lie inside the input: one run per window row, no padding bookkeeping.
        if (top >= 0 && top + (g.KernelHeight - 1) * g.DilationH < g.InHeight && left >= 0 && left + g.KernelWidth <= g.InWidth)
        {
            for (int kh = 0; kh < g.KernelHeight; kh++)
                CopyRun(x.Slice(((n * g.InHeight + top + kh * g.DilationH) * g.InWidth + left) * channels, rowBytes), row.Slice(kh * rowBytes, rowBytes));
            return;
        }
        var (begin, end) = g.ValidColumns(ow);
        int firstColumn = ow * g.StrideW - g.PadLeft + begin;
        for (int kh = 0; kh < g.KernelHeight; kh++)
        {
            int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH;
            var taps = row.Slice(kh * rowBytes, rowBytes);
            if (ih < 0 || ih >= g.InHeight || end <= begin)
            {
                taps.Fill(pad);
                continue;
            }
            taps[..(begin * channels)].Fill(pad);
            int run = (end - begin) * channels;
            CopyRun(x.Slice(((n * g.InHeight + ih) * g.InWidth + firstColumn) * channels, run), taps.Slice(begin * channels, run));
            taps[(end * channels)..].Fill(pad);
        }
    }
}
