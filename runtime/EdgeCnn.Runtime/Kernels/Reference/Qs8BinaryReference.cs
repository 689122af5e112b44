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
        where TOp : struct, IQs8BinaryOperation
    {
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerA = aStrides[rank - 1];
        int innerB = bStrides[rank - 1];
        if (y.Length == 0 || inner == 0) return;

        Span<int> index = stackalloc int[rank];
        index.Clear();
        int ao = 0, bo = 0;
        for (int yo = 0; yo < y.Length; yo += inner)
        {
            for (int j = 0; j < inner; j++) y[yo + j] = op.Apply(a[ao + j * innerA], b[bo + j * innerB]);
            Odometer.Advance(index, shape, aStrides, bStrides, rank - 1, ref ao, ref bo);
        }
    }
}
