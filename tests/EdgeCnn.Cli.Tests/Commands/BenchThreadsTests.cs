using EdgeCnn.Cli.Tests.Support;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn bench --threads N</c> runs EdgeCnn sessions with N threads: the report says so, and the
/// threaded runs still allocate nothing on the timing thread.</summary>
public sealed class BenchThreadsTests
{
    private static string FashionOnnx => Path.Combine(RepositoryPaths.FashionMnistDirectory, "fashion-mnist-dwsep.onnx");

    [Fact]
    public void Two_threads_are_reported_and_runs_allocate_nothing()
    {
        var json = CliRun.Invoke("bench", FashionOnnx, "--threads", "2", "--runs", "3", "--warmup", "1", "--json").Json();

        Assert.Equal(2, (int)json["threads"]!);
        var row = json["results"]!.AsArray().Single()!;
        Assert.Equal("edgecnn", (string?)row["engine"]);
        Assert.Equal(0.0, (double)row["allocatedBytesPerRun"]!);
        Assert.True((double)row["medianMs"]! > 0);
    }

    [Fact]
    public void Text_report_names_the_thread_count()
    {
        var run = CliRun.Invoke("bench", FashionOnnx, "--threads", "3", "--runs", "2", "--warmup", "0");
        run.AssertSucceeded();
        Assert.Contains("3 threads", run.Output);
    }
}
