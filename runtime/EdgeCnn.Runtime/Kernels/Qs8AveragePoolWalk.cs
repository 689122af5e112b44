using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>One ISA's window sum for int8 average pooling: the raw code sums of <see cref="Width"/> adjacent channels
/// over a rows×columns rectangle of taps (as <see cref="IQs8MaxWindow"/>), rows·columns ≤
/// <see cref="Qs8AveragePoolWalk.MaxTaps"/> so int16 partial sums cannot overflow.</summary>
internal interface IQs8SumWindow
{
    static abstract int Width { get; }

    static abstract void Sum(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, Span<int> sums);
}

/// <summary>
/// The walk of the int8 average pool kernels (the definition is <see cref="Reference.Qs8AveragePool2DReference"/>):
/// output pixels, the clipped window and its count (padded or valid taps), channel blocks of the kernel's width with
/// one overlapping last block, scalar sums below that width; the rounded division is <see cref="Qs8MeanRounding"/>.
/// </summary>
internal static class Qs8AveragePoolWalk
{
    /// <summary>|Σ (code)| ≤ 128 · taps must fit int16.</summary>
    public const int MaxTaps = 255;

    public static void Run<TWindow>(in Spatial2DGeometry g, bool countIncludePad, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y)
        where TWindow : IQs8SumWindow
    {
        if (g.KernelHeight * g.KernelWidth > MaxTaps)
            throw new ArgumentException($"a {g.KernelHeight}x{g.KernelWidth} window has more than {MaxTaps} taps; the reference kernel handles it", nameof(g));
        Qs8PoolWalk.CheckLengths(g, x.Length, y.Length);
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        int c = g.InChannels, width = TWindow.Width;
        nint rowStep = (nint)g.DilationH * g.InWidth * c, columnStep = (nint)g.DilationW * c;
        Span<int> sums = stackalloc int[width];
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            var (phBegin, phEnd) = g.PaddedRows(oh);
            int ih = oh * g.StrideH - g.PadTop + khBegin * g.DilationH;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (kwBegin, kwEnd) = g.ValidColumns(ow);
                var (pwBegin, pwEnd) = g.PaddedColumns(ow);
                int rows = kwEnd > kwBegin ? khEnd - khBegin : 0, columns = kwEnd - kwBegin;
                int count = countIncludePad ? (phEnd - phBegin) * (pwEnd - pwBegin) : rows * columns;
                int iw = ow * g.StrideW - g.PadLeft + kwBegin * g.DilationW;
                // A window with no valid tap reads nothing, and its first tap may lie outside the input.
                ref sbyte first = ref rows == 0 ? ref x0 : ref Unsafe.Add(ref x0, ((nint)(n * g.InHeight + ih) * g.InWidth + iw) * c);
                ref sbyte output = ref Unsafe.Add(ref y0, ((nint)(n * g.OutHeight + oh) * g.OutWidth + ow) * c);
                if (c < width)
                {
                    Span<int> scalarSums = sums[..c];
                    for (int ch = 0; ch < c; ch++)
                    {
                        int s = 0;
                        for (int r = 0; r < rows; r++)
                        for (int k = 0; k < columns; k++) s += Unsafe.Add(ref first, r * rowStep + k * columnStep + ch);
                        scalarSums[ch] = s;
                    }
                    Qs8MeanRounding.Store(scalarSums, rows * columns, count, zeroPoint, ref output);
                    continue;
                }
                for (int ch = 0; ; ch += width)
                {
                    if (ch + width > c) ch = c - width;
                    TWindow.Sum(ref Unsafe.Add(ref first, ch), rows, columns, rowStep, columnStep, sums);
                    Qs8MeanRounding.Store(sums, rows * columns, count, zeroPoint, ref Unsafe.Add(ref output, ch));
                    if (ch + width == c) break;
                }
            }
        }
    }
}
