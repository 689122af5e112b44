namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Fills every output element from per-axis coordinate maps: output coordinate o of axis a reads input
/// coordinate Maps[a][o], or the constant Value when that is -1. Pad (constant, reflect, edge, crop) and
/// nearest Resize are both just maps, so the walk itself knows neither. The longest run of consecutive
/// input coordinates on the inner axis is copied as one block. Generic over the element type; the constant
/// comes with each run so one plan serves float and int8 data.
/// </summary>
public static class AxisMapGatherReference
{
    /// <summary>Everything the walk needs, computed once from the shapes.</summary>
    public sealed class Plan
    {
        public Plan(int[] outputShape, int[] inputStrides, int[][] maps)
        {
            int rank = outputShape.Length;
            if (rank == 0 || inputStrides.Length != rank || maps.Length != rank)
                throw new ArgumentException("an axis-map plan needs one stride and one map per axis, rank ≥ 1");
            OutputShape = outputShape;
            InputStrides = inputStrides;
            Maps = maps;
            // The longest stretch of the inner axis that reads consecutive input elements.
            var inner = maps[rank - 1];
            int bestStart = 0, bestLength = 0;
            for (int o = 0; o < inner.Length;)
            {
                if (inner[o] < 0) { o++; continue; }
                int start = o;
                while (o + 1 < inner.Length && inner[o + 1] == inner[o] + 1) o++;
                o++;
                if (o - start > bestLength) (bestStart, bestLength) = (start, o - start);
            }
            RunStart = bestStart;
            RunLength = bestLength;
        }

        public int[] OutputShape { get; }
        public int[] InputStrides { get; }
        public int[][] Maps { get; }
        public int RunStart { get; }
        public int RunLength { get; }
    }

    /// <summary>Fills <paramref name="y"/>; output elements mapped to -1 get <paramref name="value"/>.</summary>
    public static void Run<T>(Plan plan, T value, ReadOnlySpan<T> x, Span<T> y)
    {
        int inner = plan.OutputShape[^1];
        Run(plan, value, x, y, 0, inner == 0 ? 0 : y.Length / inner);
    }

    /// <summary>Only the output rows (runs of the inner axis) [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>):
    /// a part of a split op.</summary>
    public static void Run<T>(Plan plan, T value, ReadOnlySpan<T> x, Span<T> y, int rowBegin, int rowEnd)
    {
        var shape = plan.OutputShape;
        int rank = shape.Length;
        int inner = shape[rank - 1];
        if (y.Length == 0 || inner == 0 || rowBegin >= rowEnd) return;
        if (rowBegin < 0 || (long)rowEnd * inner > y.Length)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) of {inner} outside the {y.Length} outputs");
        var innerMap = plan.Maps[rank - 1];
        int innerStride = plan.InputStrides[rank - 1];
        int runEnd = plan.RunStart + plan.RunLength;
        Span<int> index = stackalloc int[rank];
        index.Clear();
        for (int a = rank - 2, rest = rowBegin; a >= 0; a--)
        {
            index[a] = rest % shape[a];
            rest /= shape[a];
        }

        for (int yo = rowBegin * inner; yo < rowEnd * inner; yo += inner)
        {
            var row = y.Slice(yo, inner);
            int source = 0;
            bool inside = true;
            for (int a = 0; a < rank - 1; a++)
            {
                int m = plan.Maps[a][index[a]];
                if (m < 0) { inside = false; break; }
                source += m * plan.InputStrides[a];
            }

            if (!inside)
            {
                row.Fill(value);
            }
            else
            {
                for (int o = 0; o < plan.RunStart; o++) row[o] = Read(x, source, innerMap[o], innerStride, value);
                if (plan.RunLength > 0)
                {
                    int first = source + innerMap[plan.RunStart] * innerStride;
                    if (innerStride == 1) x.Slice(first, plan.RunLength).CopyTo(row.Slice(plan.RunStart, plan.RunLength));
                    else for (int o = plan.RunStart; o < runEnd; o++) row[o] = x[source + innerMap[o] * innerStride];
                }
                for (int o = runEnd; o < inner; o++) row[o] = Read(x, source, innerMap[o], innerStride, value);
            }

            for (int a = rank - 2; a >= 0; a--)
            {
                if (++index[a] < shape[a]) break;
                index[a] = 0;
            }
        }
    }

    private static T Read<T>(ReadOnlySpan<T> x, int rowStart, int mapped, int stride, T value) =>
        mapped < 0 ? value : x[rowStart + mapped * stride];
}
