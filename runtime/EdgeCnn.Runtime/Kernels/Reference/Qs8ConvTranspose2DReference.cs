namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The definition of the int8 NHWC transposed convolution: every input pixel scatters (x − xZeroPoint)·w into the
/// output positions its taps reach, as the float op does, but into exact int32 accumulators that start at the bias;
/// y = output.Apply(acc, oc) once all contributions are in. Contributions cropped by the pads are dropped.
/// X[N,H,W,Cin] int8, W[Cout,KH,KW,Cin/g] int8 (symmetric; output-channel-major like Conv2D, so per-channel scales
/// run along axis 0), B[Cout] int32. Output channel oc of group oc / (Cout/g) reads input channels
/// group·(Cin/g) + i: acc[oc] at (oh, ow) = B[oc] + Σ over (ih, kh) with oh = ih·s − pad_top + kh·d (and likewise
/// for w) and i of (x[ih, iw, group·(Cin/g) + i] − zp_x) · W[oc, kh, kw, i].
/// </summary>
public static class Qs8ConvTranspose2DReference
{
    /// <summary>Accumulators the kernel needs as scratch: one int32 per output element.</summary>
    public static int ScratchInts(in Spatial2DGeometry g) => checked(g.Batch * g.OutHeight * g.OutWidth * g.OutChannels);

    /// <summary><paramref name="bias"/> is empty when the op has none; <paramref name="accumulators"/> holds at least
    /// <see cref="ScratchInts"/> values.</summary>
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, ReadOnlySpan<sbyte> w,
        ReadOnlySpan<int> bias, Qs8Requantization output, Span<int> accumulators, Span<sbyte> y) =>
        Run(g, x, xZeroPoint, w, bias, output, accumulators, y, 0, g.Batch * g.OutHeight);

    /// <summary>Only the output rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>), counted over all images
    /// (a part of a split op): the scatter keeps the contributions that land in those rows, in the same order, and the
    /// accumulators hold those rows only.</summary>
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, ReadOnlySpan<sbyte> w,
        ReadOnlySpan<int> bias, Qs8Requantization output, Span<int> accumulators, Span<sbyte> y, int rowBegin, int rowEnd)
    {
        if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > (long)g.Batch * g.OutHeight)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) outside the {g.Batch}×{g.OutHeight} output rows");
        if (rowBegin == rowEnd) return;
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        int rowLength = g.OutWidth * g.OutChannels;
        int count = (rowEnd - rowBegin) * rowLength;
        var acc = accumulators.Slice(0, count);
        for (int p = 0; p < count; p += g.OutChannels)
        {
            var row = acc.Slice(p, g.OutChannels);
            if (bias.IsEmpty) row.Clear();
            else bias.CopyTo(row);
        }

        for (int n = rowBegin / g.OutHeight; n <= (rowEnd - 1) / g.OutHeight; n++)
        for (int ih = 0; ih < g.InHeight; ih++)
        for (int kh = 0; kh < g.KernelHeight; kh++)
        {
            int oh = ih * g.StrideH - g.PadTop + kh * g.DilationH;
            int flat = n * g.OutHeight + oh;
            if (oh < 0 || oh >= g.OutHeight || flat < rowBegin || flat >= rowEnd) continue;
            for (int iw = 0; iw < g.InWidth; iw++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                int ow = iw * g.StrideW - g.PadLeft + kw * g.DilationW;
                if (ow < 0 || ow >= g.OutWidth) continue;
                int xBase = ((n * g.InHeight + ih) * g.InWidth + iw) * g.InChannels;
                int yBase = ((flat - rowBegin) * g.OutWidth + ow) * g.OutChannels;
                for (int oc = 0; oc < g.OutChannels; oc++)
                {
                    int firstInput = oc / opg * cpg;
                    int wBase = ((oc * g.KernelHeight + kh) * g.KernelWidth + kw) * cpg;
                    int sum = 0;
                    for (int i = 0; i < cpg; i++) sum += (x[xBase + firstInput + i] - xZeroPoint) * w[wBase + i];
                    acc[yBase + oc] += sum;
                }
            }
        }

        var written = y.Slice(rowBegin * rowLength, count);
        for (int p = 0; p < count; p++) written[p] = output.Apply(acc[p], p % g.OutChannels);
    }
}
