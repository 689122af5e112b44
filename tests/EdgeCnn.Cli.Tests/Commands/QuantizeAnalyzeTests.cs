using System.Text.Json.Nodes;
using EdgeCnn.Cli.Tests.Support;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn quantize --analyze</c> on the embedded Fashion-MNIST model and its ten sample images.</summary>
public class QuantizeAnalyzeTests
{
    private static string Samples => DefaultModelAgreement.Samples;

    [Fact]
    public void Json_ranks_every_conv_worst_first_and_suggests_a_keep_float_list()
    {
        var json = CliRun.Invoke("quantize", "--calibration", Samples, "--analyze", "--json").Json();
        Assert.Equal(10, (int)json["samples"]!);
        Assert.Equal("percentile:99.99", (string)json["method"]!);
        Assert.True((double)json["analysisMs"]! > 0);

        var sensitivity = json["sensitivity"]!;
        Assert.Equal(10, (int)sensitivity["samples"]!);
        var layers = sensitivity["layers"]!.AsArray();
        // The model's convolutions and its classifier; scale-preserving nodes are not analysed alone.
        Assert.True(layers.Count >= 10, $"{layers.Count} layers");
        Assert.Contains(layers, l => (string)l!["node"]! == "classifier" && (string)l["op"]! == "FullyConnected");
        Assert.DoesNotContain(layers, l => (string)l!["role"]! == "ScalePreserving");
        var sqnr = layers.Select(l => (double)l!["sqnrDb"]!).ToList();
        Assert.Equal(sqnr.Order(), sqnr);
        Assert.Equal(Enumerable.Range(1, layers.Count), layers.Select(l => (int)l!["rank"]!));
        foreach (var l in layers)
        {
            Assert.InRange((double)l!["meanCosine"]!, 0.99, 1.0);
            Assert.InRange((double)l["minCosine"]!, 0.0, (double)l["meanCosine"]! + 1e-12);
            Assert.InRange((double)l["top1Agreement"]!, 0.0, 1.0);
        }
        // One node int8 loses less than all of them.
        Assert.True((double)sensitivity["fullInt8"]!["sqnrDb"]! <= sqnr[0] + 1e-9);

        var suggestion = sensitivity["suggestion"]!;
        Assert.Equal(30.0, (double)suggestion["targetSqnrDb"]!);
        var steps = suggestion["steps"]!.AsArray();
        Assert.Empty(steps[0]!["keepFloat"]!.AsArray());
        Assert.Equal((double)sensitivity["fullInt8"]!["sqnrDb"]!, (double)steps[0]!["sqnrDb"]!);
        var kept = suggestion["keepFloat"]!.AsArray().Select(n => (string)n!).ToList();
        // The suggestion is taken from the worst nodes, in rank order, and is one of the lists measured.
        var tried = layers.Take((int)suggestion["maxNodes"]!).Select(l => (string)l!["node"]!).ToList();
        Assert.Equal(tried.Where(kept.Contains), kept);
        var chosen = steps.Single(s => s!["keepFloat"]!.AsArray().Select(n => (string)n!).SequenceEqual(kept))!;
        Assert.Equal((bool)suggestion["reached"]!, (double)chosen["sqnrDb"]! >= 30);
        Assert.All(steps, s => Assert.True((double)s!["sqnrDb"]! <= (double)chosen["sqnrDb"]! + 1e-9));
    }

    [Fact]
    public void Text_prints_the_ranking_and_the_suggestion_and_writes_no_model()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("quantize", "--calibration", Samples, "--samples", "3", "--analyze", "--analyze-target", "-50");
        run.AssertSucceeded();
        Assert.Equal("", run.Error);
        Assert.Contains("data     3 sample(s) of 10 files, spread evenly", run.Output);
        Assert.Matches(@"analysed \d+ node\(s\) int8 one at a time", run.Output);
        Assert.Matches(@"\n +1  \S+ +(Conv2D|FullyConnected) +[\d.]+ dB", run.Output);
        Assert.Contains("suggest  no --keep-float needed: the full int8 model reaches the target output SQNR -50 dB", run.Output);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Report_json_and_html_hold_the_sensitivity_section()
    {
        using var dir = new TempDirectory();
        string reportDir = dir.File("report");
        CliRun.Invoke("quantize", "--calibration", Samples, "--samples", "4", "--analyze", "--report", reportDir).AssertSucceeded();

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(reportDir, "report.json")))!;
        Assert.Equal(4, (int)report["samples"]!);
        Assert.NotEmpty(report["layers"]!.AsArray());
        var ranked = report["sensitivity"]!["layers"]!.AsArray();
        Assert.NotEmpty(ranked);
        string html = File.ReadAllText(Path.Combine(reportDir, "report.html"));
        Assert.Contains("Sensitivity: one node int8 at a time", html);
        Assert.Contains((string)ranked[0]!["node"]!, html);
        Assert.EndsWith("</html>\n", html);
    }

    [Fact]
    public void Keep_float_nodes_stay_float_throughout_and_are_not_ranked()
    {
        var json = CliRun.Invoke("quantize", "--calibration", Samples, "--samples", "2", "--analyze", "--keep-float", "stem_conv", "--json").Json();
        var sensitivity = json["sensitivity"]!;
        Assert.Equal(["stem_conv"], sensitivity["keptFloat"]!.AsArray().Select(n => (string)n!));
        Assert.DoesNotContain(sensitivity["layers"]!.AsArray(), l => (string)l!["node"]! == "stem_conv");
    }

    [Theory]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze", "-o", "x.ecnn" }, "--analyze writes no model")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze", "--emit-qdq", "x.onnx" }, "--emit-qdq")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze-target", "20", "-o", "x.ecnn" }, "give --analyze too")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze", "--analyze-target", "NaN" }, "--analyze-target")]
    [InlineData(new[] { "--ranges", "r.tsv", "--analyze" }, "--calibration")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze", "--keep-float", "no_such_node" }, "no_such_node")]
    [InlineData(new[] { "--calibration", "SAMPLES" }, "--output")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze", "--int8-input" }, "--int8-input")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--analyze", "--bias-correction" }, "--bias-correction")]
    public void Usage_errors_exit_2(string[] args, string mentions)
    {
        var run = CliRun.Invoke(["quantize", .. args.Select(a => a == "SAMPLES" ? Samples : a)]);
        run.AssertFailed(2, mentions);
    }
}
