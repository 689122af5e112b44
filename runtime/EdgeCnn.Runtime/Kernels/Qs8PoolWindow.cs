using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The valid taps of one pooling window for one output pixel: a Rows×Columns rectangle of input pixels whose
/// first pixel (channel 0) is <c>First</c>, consecutive rows <c>RowStep</c> and columns <c>ColumnStep</c>
/// elements apart. The SIMD pooling kernels only reduce such rectangles; the walk over output pixels and the
/// border clipping live in one place (<see cref="Qs8PoolWalk"/>).
/// </summary>
internal interface IQs8MaxWindow
{
    /// <summary>y[c] = max over the rectangle of x[c], for every channel; rows and columns are at least 1.</summary>
    static abstract void Max(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, int channels, ref sbyte y);
}

/// <summary>Walks the output pixels of an NHWC int8 pool and hands each clipped window to a window kernel.</summary>
internal static class Qs8PoolWalk
{
    /// <summary>Max pooling as <see cref="Reference.MaxPool2DReference"/> defines it (a window with no valid tap
    /// gives −128).</summary>
    public static void Max<TWindow>(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y) where TWindow : IQs8MaxWindow
    {
        CheckLengths(g, x.Length, y.Length);
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        int c = g.InChannels;
        nint rowStep = (nint)g.DilationH * g.InWidth * c, columnStep = (nint)g.DilationW * c;
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            int ih = oh * g.StrideH - g.PadTop + khBegin * g.DilationH;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (kwBegin, kwEnd) = g.ValidColumns(ow);
                ref sbyte output = ref Unsafe.Add(ref y0, ((nint)(n * g.OutHeight + oh) * g.OutWidth + ow) * c);
                if (khEnd == khBegin || kwEnd == kwBegin)
                {
                    MemoryMarshal.CreateSpan(ref output, c).Fill(sbyte.MinValue);
                    continue;
                }
                int iw = ow * g.StrideW - g.PadLeft + kwBegin * g.DilationW;
                ref sbyte first = ref Unsafe.Add(ref x0, ((nint)(n * g.InHeight + ih) * g.InWidth + iw) * c);
                TWindow.Max(ref first, khEnd - khBegin, kwEnd - kwBegin, rowStep, columnStep, c, ref output);
            }
        }
    }

    /// <summary>The kernels index with unchecked references, so the buffers must be as large as the geometry says.</summary>
    public static void CheckLengths(in Spatial2DGeometry g, int xLength, int yLength)
    {
        if (xLength < g.InputLength) throw new ArgumentException($"input holds {xLength} values, the geometry needs {g.InputLength}", "x");
        if (yLength < g.OutputLength) throw new ArgumentException($"output holds {yLength} values, the geometry needs {g.OutputLength}", "y");
    }

    /// <summary>The scalar max over a rectangle for channels [from, channels): the tail of the vector kernels.</summary>
    public static void MaxScalar(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, int from, int channels, ref sbyte y)
    {
        for (int ch = from; ch < channels; ch++)
        {
            int m = sbyte.MinValue;
            for (int r = 0; r < rows; r++)
            {
                ref sbyte row = ref Unsafe.Add(ref first, r * rowStep + ch);
                for (int k = 0; k < columns; k++) m = Math.Max(m, Unsafe.Add(ref row, k * columnStep));
            }
            Unsafe.Add(ref y, ch) = (sbyte)m;
        }
    }
}
