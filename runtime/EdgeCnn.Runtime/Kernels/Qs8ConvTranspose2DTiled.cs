namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The int8 transposed convolution whose taps tile the output (kernel = stride, no dilation, pads or output padding:
/// the 2×2 stride-2 upsampling of FPN and segmentation heads) as GEMMs. Every output pixel then receives exactly one
/// input pixel through one tap: output row oh = ih·s + kh reads input row ih, and its pixels kw, kw + s, kw + 2s, …
/// are W_tap · x over the input row's pixels. So each (output row, kw) is one call of <see cref="Qs8Gemm"/> over the
/// input row's pixels with that tap's weights [Cout, Cin/g] (packed per tap for the session's path, SDOT and SMLAL
/// on ARM included), writing every s-th output pixel. With one tap per pixel the zero point folds into the bias as
/// for a convolution, and the GEMM kernels give the reference's bytes.
/// </summary>
public static class Qs8ConvTranspose2DTiled
{
    /// <summary>Whether <paramref name="g"/>'s taps tile its output.</summary>
    public static bool Applies(in Spatial2DGeometry g) =>
        g.KernelHeight == g.StrideH && g.KernelWidth == g.StrideW && g.DilationH == 1 && g.DilationW == 1
        && g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0
        && g.OutHeight == g.InHeight * g.StrideH && g.OutWidth == g.InWidth * g.StrideW;

    /// <summary>One GEMM's weights per tap kh·KW + kw, from W[Cout,KH,KW,Cin/g].</summary>
    public static Qs8GemmWeights[] Pack(KernelPath path, in Spatial2DGeometry g, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias,
        int xZeroPoint, Qs8Requantization output)
    {
        int taps = g.KernelHeight * g.KernelWidth, cpg = g.InGroupChannels;
        var packed = new Qs8GemmWeights[taps];
        var rows = new sbyte[g.OutChannels * cpg];
        for (int tap = 0; tap < taps; tap++)
        {
            for (int oc = 0; oc < g.OutChannels; oc++) weights.Slice((oc * taps + tap) * cpg, cpg).CopyTo(rows.AsSpan(oc * cpg, cpg));
            packed[tap] = Qs8GemmWeights.Pack(path, rows, bias, g.Group, g.OutGroupChannels, cpg, xZeroPoint, output);
        }
        return packed;
    }

    public static int ScratchBytes(Qs8GemmWeights[] taps) => Qs8Gemm.ScratchBytes(taps[0]);

    /// <summary>Output rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>), counted over all images.</summary>
    public static void Run(Qs8GemmWeights[] taps, in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y, Span<byte> scratch,
        int rowBegin, int rowEnd)
    {
        if (x.Length < g.InputLength) throw new ArgumentException($"input holds {x.Length} values, {g.InputLength} needed", nameof(x));
        if (y.Length < g.OutputLength) throw new ArgumentException($"output holds {y.Length} values, {g.OutputLength} needed", nameof(y));
        if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > (long)g.Batch * g.OutHeight)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) outside the {g.Batch}×{g.OutHeight} output rows");
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        for (int row = rowBegin; row < rowEnd; row++)
        {
            int n = row / g.OutHeight, oh = row % g.OutHeight;
            int ih = oh / g.StrideH, kh = oh % g.StrideH;
            var input = x.Slice((n * g.InHeight + ih) * g.InWidth * g.InChannels);
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                var weights = taps[kh * g.KernelWidth + kw];
                int outputStart = (row * g.OutWidth + kw) * g.OutChannels;
                for (int group = 0; group < g.Group; group++)
                    Qs8Gemm.Run(weights, group, g.InWidth, input[(group * cpg)..], g.InChannels, y[(outputStart + group * opg)..],
                        g.StrideW * g.OutChannels, scratch);
            }
        }
    }
}
