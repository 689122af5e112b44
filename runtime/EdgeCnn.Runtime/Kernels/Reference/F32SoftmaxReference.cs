namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Softmax (or LogSoftmax) over the middle axis of an [outer, n, inner] view. Stable: the maximum is
/// subtracted before exp. When inner &gt; 1 the axis is strided, so the running max and sum of a whole
/// inner row live in scratch (2·inner floats) and every pass reads memory contiguously.
/// </summary>
public static class F32SoftmaxReference
{
    public static int ScratchFloats(int inner) => inner == 1 ? 0 : 2 * inner;

    public static void Run(ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner, bool log, Span<float> scratch)
    {
        if (n == 0 || inner == 0) return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
                Contiguous(x.Slice(o * n, n), y.Slice(o * n, n), log);
            return;
        }
        var max = scratch.Slice(0, inner);
        var sum = scratch.Slice(inner, inner);
        for (int o = 0; o < outer; o++)
        {
            int plane = n * inner;
            Strided(x.Slice(o * plane, plane), y.Slice(o * plane, plane), n, inner, log, max, sum);
        }
    }

    private static void Contiguous(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        float max = float.NegativeInfinity;
        foreach (float v in x) max = MathF.Max(max, v);
        double sum = 0;
        for (int k = 0; k < x.Length; k++)
        {
            float e = MathF.Exp(x[k] - max);
            if (!log) y[k] = e;
            sum += e;
        }
        if (log)
        {
            // (x − max) first: folding log(sum) into max would round it at the magnitude of max.
            float logSum = (float)Math.Log(sum);
            for (int k = 0; k < x.Length; k++) y[k] = (x[k] - max) - logSum;
        }
        else
        {
            float scale = (float)(1.0 / sum);
            for (int k = 0; k < y.Length; k++) y[k] *= scale;
        }
    }

    private static void Strided(ReadOnlySpan<float> x, Span<float> y, int n, int inner, bool log, Span<float> max, Span<float> sum)
    {
        max.Fill(float.NegativeInfinity);
        for (int k = 0; k < n; k++)
        {
            var row = x.Slice(k * inner, inner);
            for (int j = 0; j < inner; j++) max[j] = MathF.Max(max[j], row[j]);
        }
        sum.Clear();
        for (int k = 0; k < n; k++)
        {
            var row = x.Slice(k * inner, inner);
            var outRow = y.Slice(k * inner, inner);
            for (int j = 0; j < inner; j++)
            {
                float e = MathF.Exp(row[j] - max[j]);
                if (!log) outRow[j] = e;
                sum[j] += e;
            }
        }
        if (log)
        {
            for (int j = 0; j < inner; j++) sum[j] = MathF.Log(sum[j]);
            for (int k = 0; k < n; k++)
            {
                var row = x.Slice(k * inner, inner);
                var outRow = y.Slice(k * inner, inner);
                for (int j = 0; j < inner; j++) outRow[j] = (row[j] - max[j]) - sum[j];
            }
        }
        else
        {
            for (int j = 0; j < inner; j++) sum[j] = 1f / sum[j];
            for (int k = 0; k < n; k++)
            {
                var outRow = y.Slice(k * inner, inner);
                for (int j = 0; j < inner; j++) outRow[j] *= sum[j];
            }
        }
    }
}
