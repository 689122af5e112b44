namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Gathers a strided view of a tensor into a contiguous destination: element (i0..i{r-1}) of the view
/// is source[offset + Σ i_a·stride_a]. Strides may be negative (reversed slices) or permuted
/// (transposes). The caller guarantees every addressed element lies inside the source. Generic over the
/// element type: float tensors and int8 tensors (as bytes) move the same way.
/// </summary>
public static class StridedCopyReference
{
    private const int Tile = 32;

    public static void Copy<T>(ReadOnlySpan<T> source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<T> destination)
    {
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int total = 1;
        foreach (int d in shape) total *= d;
        if (total == 0) return;

        // A swap of the two innermost axes reads cache lines across rows; tiles keep both sides local.
        if (rank >= 2 && innerStride != 1 && strides[rank - 2] == 1)
        {
            CopyTransposedTiles(source, offset, shape, strides, destination, total);
            return;
        }

        Span<int> index = stackalloc int[rank];
        index.Clear();
        int src = offset;
        for (int dst = 0; dst < total; dst += inner)
        {
            if (innerStride == 1)
            {
                source.Slice(src, inner).CopyTo(destination.Slice(dst, inner));
            }
            else
            {
                var row = destination.Slice(dst, inner);
                int s = src;
                for (int j = 0; j < row.Length; j++, s += innerStride) row[j] = source[s];
            }
            Odometer.Advance(index, shape, strides, rank - 1, ref src);
        }
    }

    private static void CopyTransposedTiles<T>(ReadOnlySpan<T> source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides,
        Span<T> destination, int total)
    {
        int rank = shape.Length;
        int rows = shape[rank - 2];
        int cols = shape[rank - 1];
        int colStride = strides[rank - 1];
        int plane = rows * cols;
        Span<int> index = stackalloc int[rank];
        index.Clear();
        int src = offset;
        for (int dst = 0; dst < total; dst += plane)
        {
            var output = destination.Slice(dst, plane);
            for (int r0 = 0; r0 < rows; r0 += Tile)
            {
                int r1 = Math.Min(rows, r0 + Tile);
                for (int c0 = 0; c0 < cols; c0 += Tile)
                {
                    int c1 = Math.Min(cols, c0 + Tile);
                    for (int r = r0; r < r1; r++)
                    {
                        int s = src + r + c0 * colStride;
                        for (int c = c0; c < c1; c++, s += colStride) output[r * cols + c] = source[s];
                    }
                }
            }
            Odometer.Advance(index, shape, strides, rank - 2, ref src);
        }
    }
}
