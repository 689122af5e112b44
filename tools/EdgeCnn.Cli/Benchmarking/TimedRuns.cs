using System.Diagnostics;
using EdgeCnn.Cli.Evaluation;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>The latencies of the timed runs and the managed bytes the calling thread allocated per run.</summary>
internal sealed record TimedResult(LatencySummary Latency, double AllocatedBytesPerRun);

/// <summary>
/// Warm-up, then timed runs of each target. Only the timed runs count, for time and for allocations. One after the
/// other, each target gets all its runs in a row (steady state, its weights warm in cache). Interleaved, the targets
/// take turns run by run, so a change of machine load during the benchmark hits every target alike and the ratios
/// between them stay fair.
/// </summary>
internal static class TimedRuns
{
    public static TimedResult[] Measure(IReadOnlyList<IBenchTarget> targets, int warmup, int runs, bool interleave)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var milliseconds = targets.Select(_ => new double[runs]).ToArray();
        var allocated = new long[targets.Count];
        if (interleave)
        {
            for (int w = 0; w < warmup; w++)
                foreach (var target in targets) target.RunOnce();
            CollectGarbage();
            for (int i = 0; i < runs; i++)
                for (int t = 0; t < targets.Count; t++)
                    milliseconds[t][i] = TimeOne(targets[t], ref allocated[t]);
        }
        else
        {
            for (int t = 0; t < targets.Count; t++)
            {
                for (int w = 0; w < warmup; w++) targets[t].RunOnce();
                CollectGarbage();
                for (int i = 0; i < runs; i++) milliseconds[t][i] = TimeOne(targets[t], ref allocated[t]);
            }
        }
        return targets.Select((_, t) => new TimedResult(LatencySummary.Of(milliseconds[t]), allocated[t] / (double)runs)).ToArray();
    }

    private static double TimeOne(IBenchTarget target, ref long allocated)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        target.RunOnce();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return ms;
    }

    /// <summary>Garbage left by loading and warm-up is collected now, so a collection does not land inside a timed run.</summary>
    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
