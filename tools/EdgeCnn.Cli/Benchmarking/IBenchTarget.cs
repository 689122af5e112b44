namespace EdgeCnn.Cli.Benchmarking;

/// <summary>One engine ready to run: everything it needs is loaded and bound, so <see cref="RunOnce"/> is one inference.</summary>
internal interface IBenchTarget : IDisposable
{
    /// <summary>What the status line says while it runs.</summary>
    string Description { get; }

    void RunOnce();

    /// <summary>The report row for the measured <paramref name="timing"/> (EdgeCnn adds its per-op profile here,
    /// from runs of its own after every timed run).</summary>
    BenchRow Finish(TimedResult timing);
}
