using System.Text.Json.Nodes;

namespace EdgeCnn.Cli.Tests.Support;

/// <summary>One in-process invocation of the edgecnn command line.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EdgeCnnCli.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public JsonNode Json()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}: {Error}");
        return JsonNode.Parse(Output) ?? throw new InvalidOperationException("empty JSON output");
    }

    /// <summary>Asserts success (for steps that set up a later check).</summary>
    public void AssertSucceeded() => Assert.True(ExitCode == 0, $"exit code {ExitCode}: {Error}");

    /// <summary>The run failed with <paramref name="code"/>, printed nothing to stdout and a one-line error naming <paramref name="mentions"/>.</summary>
    public void AssertFailed(int code, string mentions)
    {
        Assert.True(ExitCode == code, $"expected exit code {code}, got {ExitCode}; stderr: {Error}; stdout: {Output}");
        Assert.Equal("", Output);
        Assert.Contains(mentions, Error);
        Assert.DoesNotContain("   at ", Error); // no stack trace without --verbose
    }
}
