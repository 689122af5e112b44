using System.Diagnostics;
using EdgeCnn.Cli.Evaluation;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>The latencies of the timed runs and the managed bytes the calling thread allocated per run.</summary>
internal sealed record TimedResult(LatencySummary Latency, double AllocatedBytesPerRun);

/// <summary>Warm-up, then timed runs of one inference. Only the timed runs count, for time and for allocations.</summary>
internal static class TimedRuns
{
    public static TimedResult Measure(Action run, int warmup, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        for (int i = 0; i < warmup; i++) run();

        // Garbage left by loading and warm-up is collected now, so a collection does not land inside a timed run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var milliseconds = new double[runs];
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new TimedResult(LatencySummary.Of(milliseconds), allocated / (double)runs);
    }
}
