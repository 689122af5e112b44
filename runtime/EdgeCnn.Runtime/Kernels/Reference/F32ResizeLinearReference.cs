using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Multi-linear resize as a chain of 1-D passes, one per resized axis (linear interpolation is separable).
/// A pass views its source as [outer, inLength, inner] and writes [outer, outLength, inner]:
/// row t = (1 − w[t])·row Lower[t] + w[t]·row Upper[t], vectorized over the inner rows. Intermediate
/// results alternate between two scratch regions; the last pass writes the output.
/// </summary>
public static class F32ResizeLinearReference
{
    /// <summary>One 1-D interpolation along one axis.</summary>
    public sealed class Pass
    {
        public Pass(int outer, int inputLength, int outputLength, int inner, int[] lower, int[] upper, float[] upperWeight)
        {
            if (lower.Length != outputLength || upper.Length != outputLength || upperWeight.Length != outputLength)
                throw new ArgumentException("a resize pass needs one lower/upper index and weight per output coordinate");
            foreach (int i in lower) if ((uint)i >= (uint)inputLength) throw new ArgumentException("resize index outside the input");
            foreach (int i in upper) if ((uint)i >= (uint)inputLength) throw new ArgumentException("resize index outside the input");
            Outer = outer;
            InputLength = inputLength;
            OutputLength = outputLength;
            Inner = inner;
            Lower = lower;
            Upper = upper;
            UpperWeight = upperWeight;
        }

        public int Outer { get; }
        public int InputLength { get; }
        public int OutputLength { get; }
        public int Inner { get; }
        public int[] Lower { get; }
        public int[] Upper { get; }
        public float[] UpperWeight { get; }
        public int OutputCount => Outer * OutputLength * Inner;
    }

    /// <summary>Scratch the chain needs: two regions for the intermediates, sized by the largest of each parity.</summary>
    public static (int First, int Second) ScratchFloats(IReadOnlyList<Pass> passes)
    {
        int first = 0, second = 0;
        for (int p = 0; p < passes.Count - 1; p++)
        {
            if (p % 2 == 0) first = Math.Max(first, passes[p].OutputCount);
            else second = Math.Max(second, passes[p].OutputCount);
        }
        return (first, second);
    }

    public static void Run(IReadOnlyList<Pass> passes, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch)
    {
        if (passes.Count == 0)
        {
            x.CopyTo(y);
            return;
        }
        var (firstSize, secondSize) = ScratchFloats(passes);
        var first = scratch.Slice(0, firstSize);
        var second = scratch.Slice(firstSize, secondSize);
        ReadOnlySpan<float> source = x;
        for (int p = 0; p < passes.Count; p++)
        {
            var pass = passes[p];
            Span<float> destination = p == passes.Count - 1 ? y : (p % 2 == 0 ? first : second).Slice(0, pass.OutputCount);
            RunPass(pass, source, destination);
            source = destination;
        }
    }

    /// <summary>Rows of the first pass's output ([outer, outLength] of its [outer, outLength, inner]) a split op cuts.</summary>
    public static int Rows(IReadOnlyList<Pass> passes) => passes.Count == 0 ? 0 : passes[0].Outer * passes[0].OutputLength;

    /// <summary>
    /// Only what the first pass's output rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>) (see
    /// <see cref="Rows"/>) become: every later pass resizes an axis after the first's, so those rows are a contiguous
    /// block of whole outer rows of every later pass and of the output. Each part runs the chain on its block alone,
    /// with intermediates in its own <paramref name="scratch"/> (as large as <see cref="Run(IReadOnlyList{Pass}, ReadOnlySpan{float}, Span{float}, Span{float})"/>'s),
    /// computing every value as the whole chain does.
    /// </summary>
    public static void Run(IReadOnlyList<Pass> passes, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, int rowBegin, int rowEnd)
    {
        int rows = Rows(passes);
        if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > rows)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) outside the {rows} rows of the first resize pass");
        if (rowBegin == rowEnd) return;
        var (firstSize, secondSize) = ScratchFloats(passes);
        var first = scratch.Slice(0, firstSize);
        var second = scratch.Slice(firstSize, secondSize);
        var head = passes[0];
        int count = rowEnd - rowBegin;
        Span<float> destination = passes.Count == 1
            ? y.Slice(rowBegin * head.Inner, count * head.Inner)
            : first.Slice(0, count * head.Inner);
        RunRows(head, x, destination, rowBegin, rowEnd);
        ReadOnlySpan<float> source = destination;
        for (int p = 1; p < passes.Count; p++)
        {
            var pass = passes[p];
            // Outer rows of this pass per first-pass row.
            int perRow = pass.Outer / rows;
            int outerBegin = rowBegin * perRow, outerCount = count * perRow;
            int length = outerCount * pass.OutputLength * pass.Inner;
            destination = p == passes.Count - 1
                ? y.Slice(outerBegin * pass.OutputLength * pass.Inner, length)
                : (p % 2 == 0 ? first : second).Slice(0, length);
            RunRows(pass, source, destination, 0, outerCount * pass.OutputLength);
            source = destination;
        }
    }

    /// <summary>Rows [rowBegin, rowEnd) of one pass's [outer, outLength] output rows into <paramref name="destination"/>,
    /// which holds them from its start; <paramref name="source"/> holds the input planes of the outer rows the same
    /// numbering counts from (the first pass numbers rows over its whole input, later passes over their block).</summary>
    private static void RunRows(Pass pass, ReadOnlySpan<float> source, Span<float> destination, int rowBegin, int rowEnd)
    {
        int inner = pass.Inner;
        int inPlane = pass.InputLength * inner;
        for (int row = rowBegin; row < rowEnd; row++)
        {
            int o = row / pass.OutputLength, t = row % pass.OutputLength;
            var input = source.Slice(o * inPlane, inPlane);
            var output = destination.Slice((row - rowBegin) * inner, inner);
            float w1 = pass.UpperWeight[t];
            var lower = input.Slice(pass.Lower[t] * inner, inner);
            if (w1 == 0f) lower.CopyTo(output);
            else Blend(lower, input.Slice(pass.Upper[t] * inner, inner), 1f - w1, w1, output);
        }
    }

    private static void RunPass(Pass pass, ReadOnlySpan<float> source, Span<float> destination)
    {
        int inner = pass.Inner;
        int inPlane = pass.InputLength * inner;
        int outPlane = pass.OutputLength * inner;
        for (int o = 0; o < pass.Outer; o++)
        {
            var input = source.Slice(o * inPlane, inPlane);
            var output = destination.Slice(o * outPlane, outPlane);
            for (int t = 0; t < pass.OutputLength; t++)
            {
                float w1 = pass.UpperWeight[t];
                var row = output.Slice(t * inner, inner);
                var lower = input.Slice(pass.Lower[t] * inner, inner);
                if (w1 == 0f) lower.CopyTo(row);
                else Blend(lower, input.Slice(pass.Upper[t] * inner, inner), 1f - w1, w1, row);
            }
        }
    }

    private static void Blend(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float wa, float wb, Span<float> y)
    {
        int n = y.Length;
        int w = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || n < w)
        {
            for (int j = 0; j < n; j++) y[j] = a[j] * wa + b[j] * wb;
            return;
        }
        var va = new Vector<float>(wa);
        var vb = new Vector<float>(wb);
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        for (int j = 0; j < n; j += w)
        {
            nuint at = (nuint)Math.Min(j, n - w);
            (Vector.LoadUnsafe(ref ar, at) * va + Vector.LoadUnsafe(ref br, at) * vb).StoreUnsafe(ref yr, at);
        }
    }
}
