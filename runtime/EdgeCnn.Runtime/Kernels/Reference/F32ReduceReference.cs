using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Reduction over any set of axes. The input is walked once in memory order over a coalesced shape; each
/// element folds into the double accumulator at its output position (output strides are 0 along reduced
/// axes), so precision does not depend on how many elements meet in one output.
/// </summary>
public static class F32ReduceReference
{
    /// <param name="shape">Coalesced input shape; the last axis is the inner loop.</param>
    /// <param name="outputStrides">Per axis: the output stride, 0 for a reduced axis.</param>
    /// <param name="accumulator">One double per output element (scratch).</param>
    public static void Run(ReduceKind kind, ReadOnlySpan<float> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> outputStrides,
        int reducedCount, Span<double> accumulator, Span<float> y)
    {
        switch (kind)
        {
            case ReduceKind.Mean: Fold<SumFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.Mean); break;
            case ReduceKind.Sum: Fold<SumFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.None); break;
            case ReduceKind.Max: Fold<MaxFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.None); break;
            case ReduceKind.Min: Fold<MinFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.None); break;
            case ReduceKind.Prod: Fold<ProdFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.None); break;
            case ReduceKind.L2: Fold<SquareFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.Sqrt); break;
            case ReduceKind.SumSquare: Fold<SquareFold>(x, shape, outputStrides, accumulator, y, reducedCount, Finish.None); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown reduce kind");
        }
    }

    private enum Finish { None, Mean, Sqrt }

    private interface IFold
    {
        static abstract double Identity { get; }
        static abstract double Add(double accumulator, float x);
    }

    private readonly struct SumFold : IFold
    {
        public static double Identity => 0;
        public static double Add(double accumulator, float x) => accumulator + x;
    }

    private readonly struct SquareFold : IFold
    {
        public static double Identity => 0;
        public static double Add(double accumulator, float x) => accumulator + (double)x * x;
    }

    private readonly struct ProdFold : IFold
    {
        public static double Identity => 1;
        public static double Add(double accumulator, float x) => accumulator * x;
    }

    private readonly struct MaxFold : IFold
    {
        public static double Identity => double.NegativeInfinity;
        public static double Add(double accumulator, float x) => Math.Max(accumulator, x);
    }

    private readonly struct MinFold : IFold
    {
        public static double Identity => double.PositiveInfinity;
        public static double Add(double accumulator, float x) => Math.Min(accumulator, x);
    }

    private static void Fold<TFold>(ReadOnlySpan<float> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> outputStrides,
        Span<double> accumulator, Span<float> y, int reducedCount, Finish finish) where TFold : struct, IFold
    {
        var acc = accumulator.Slice(0, y.Length);
        acc.Fill(TFold.Identity);
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int innerStride = outputStrides[rank - 1];
        if (x.Length != 0 && inner != 0)
        {
            Span<int> index = stackalloc int[rank];
            index.Clear();
            int yo = 0;
            for (int xo = 0; xo < x.Length; xo += inner)
            {
                var row = x.Slice(xo, inner);
                if (innerStride == 0)
                {
                    double a = acc[yo];
                    foreach (float v in row) a = TFold.Add(a, v);
                    acc[yo] = a;
                }
                else
                {
                    var target = acc.Slice(yo, inner);
                    for (int j = 0; j < row.Length; j++) target[j] = TFold.Add(target[j], row[j]);
                }
                Odometer.Advance(index, shape, outputStrides, rank - 1, ref yo);
            }
        }

        for (int i = 0; i < y.Length; i++)
        {
            double v = acc[i];
            y[i] = finish switch
            {
                Finish.Mean => (float)(v / reducedCount),
                Finish.Sqrt => (float)Math.Sqrt(v),
                _ => (float)v,
            };
        }
    }
}
