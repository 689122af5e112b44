namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Int8 element-wise binary op with numpy broadcasting, over the same prepared walk as the float op
/// (<see cref="F32BinaryReference"/>): the output is contiguous with the given (coalesced) shape, a and b are
/// read through per-axis strides that are 0 along broadcast axes. One element at a time.
/// </summary>
public static class Qs8BinaryReference
{
    public static void Run<TOp>(in TOp op, ReadOnlySpan<sbyte> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<sbyte> b,
        ReadOnlySpan<int> bStrides, ReadOnlySpan<int> shape, Span<sbyte> y)
        where TOp : struct, IQs8BinaryOperation =>
        Run(op, a, aStrides, b, bStrides, shape, y, 0, y.Length);

    /// <summary>Only output elements [<paramref name="begin"/>, <paramref name="end"/>) (a part of a split op).</summary>
    public static void Run<TOp>(in TOp op, ReadOnlySpan<sbyte> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<sbyte> b,
        ReadOnlySpan<int> bStrides, ReadOnlySpan<int> shape, Span<sbyte> y, int begin, int end)
        where TOp : struct, IQs8BinaryOperation
    {
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerA = aStrides[rank - 1];
        int innerB = bStrides[rank - 1];
        if (y.Length == 0 || inner == 0 || begin >= end) return;
        if (begin < 0 || end > y.Length) throw new ArgumentOutOfRangeException(nameof(begin), $"elements [{begin}, {end}) outside the {y.Length} outputs");

        Span<int> index = stackalloc int[rank];
        index.Clear();
        int row = begin / inner;
        Odometer.Seek(index, shape, aStrides, bStrides, rank - 1, row, out int ao, out int bo);
        for (int yo = row * inner; yo < end; yo += inner)
        {
            int last = Math.Min(end - yo, inner);
            for (int j = Math.Max(begin - yo, 0); j < last; j++) y[yo + j] = op.Apply(a[ao + j * innerA], b[bo + j * innerB]);
            Odometer.Advance(index, shape, aStrides, bStrides, rank - 1, ref ao, ref bo);
        }
    }
}
