using EdgeCnn.Cli.Tests.Support;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn run --threads N</c>: the scores are those of one thread, and bad counts are usage errors.</summary>
public sealed class RunThreadsTests
{
    private static string Disc => RepositoryPaths.Sample("disc.png");

    [Fact]
    public void Three_threads_give_the_one_thread_scores()
    {
        string Scores(string threads) => CliRun.Invoke("run", RepositoryPaths.TinyCnnOnnx, "--input", Disc, "--top", "10",
            "--threads", threads, "--json").Json()["results"]!.ToJsonString();
        string single = Scores("1");
        Assert.Contains("score", single);
        Assert.Equal(single, Scores("3"));
    }

    [Fact]
    public void Zero_threads_is_a_usage_error_and_the_sample_run_refuses_the_option()
    {
        CliRun.Invoke("run", RepositoryPaths.TinyCnnOnnx, "--input", Disc, "--threads", "0").AssertFailed(2, "--threads 0");
        CliRun.Invoke("run", "--threads", "2").AssertFailed(2, "--threads applies to --input files");
    }
}
