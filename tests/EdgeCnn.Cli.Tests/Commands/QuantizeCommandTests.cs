using System.Text.Json.Nodes;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn quantize</c> end to end on the embedded Fashion-MNIST model and its ten sample images, and on
/// a zoo MobileNetV2 for the file size.</summary>
public class QuantizeCommandTests
{
    private static string Samples => DefaultModelAgreement.Samples;


    [Fact]
    public void Default_model_quantized_on_its_samples_agrees_with_float()
    {
        using var dir = new TempDirectory();
        string target = dir.File("fm-int8.ecnn");
        var json = CliRun.Invoke("quantize", "--calibration", Samples, "-o", target, "--json").Json();
        Assert.Equal(10, (int)json["samples"]!);
        Assert.Equal("percentile:99.99", (string)json["method"]!);
        Assert.True((int)json["nodes"]!["int8"]! > 5);
        Assert.Equal(new FileInfo(target).Length, (long)json["int8Bytes"]!);
        Assert.True((long)json["int8Bytes"]! < (long)json["fp32Bytes"]!);

        var int8 = ModelReader.Load(target);
        Assert.Contains(int8.Tensors, t => t.Type == DataType.Int8 && t.Kind == TensorKind.Constant && t.Quant is { IsPerTensor: false });
        Assert.Contains(int8.Ops, op => op.Code == OpCode.Quantize);
        DefaultModelAgreement.AssertSameTop1AsFloat(int8);
    }

    [Fact]
    public void Text_output_names_decisions_sizes_and_the_file()
    {
        using var dir = new TempDirectory();
        string target = dir.File("fm.ecnn");
        var run = CliRun.Invoke("quantize", "--calibration", Samples, "--samples", "4", "-m", "minmax", "-o", target);
        run.AssertSucceeded();
        Assert.Equal("", run.Error);
        Assert.Contains("data     4 sample(s) of 10 files, spread evenly; method minmax", run.Output);
        Assert.Contains("weights  per output channel", run.Output);
        Assert.Matches(@"nodes    \d+ int8, \d+ float; 1 Quantize, \d+ Dequantize", run.Output);
        Assert.Contains("float    normalize_div (Binary): Binary Div has no int8 variant", run.Output);
        Assert.Matches(@"size     [\d,]+ bytes fp32 -> [\d,]+ bytes int8 \(0\.\d{3}x\)", run.Output);
        Assert.Contains($"wrote    {target}", run.Output);
    }

    [Fact]
    public void Report_folder_holds_json_and_a_self_contained_html_page()
    {
        using var dir = new TempDirectory();
        string reportDir = dir.File("report");
        var run = CliRun.Invoke("quantize", "--calibration", Samples, "-o", dir.File("fm.ecnn"), "--report", reportDir);
        run.AssertSucceeded();
        Assert.Contains("output   'logits': cosine mean", run.Output);
        Assert.Contains("top-1 agreement", run.Output);
        Assert.Contains("weakest  ", run.Output);

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(reportDir, "report.json")))!;
        Assert.Equal(10, (int)report["samples"]!);
        var output = report["outputs"]![0]!;
        Assert.Equal("logits", (string)output["name"]!);
        Assert.True((double)output["meanCosine"]! > 0.99);
        Assert.Equal(1.0, (double)output["top1Agreement"]!);
        var layers = report["layers"]!.AsArray();
        Assert.NotEmpty(layers);
        Assert.All(layers, l => Assert.True(l!["sqnrDb"] is null || (double)l["sqnrDb"]! > 10, $"{l["node"]}: {l["sqnrDb"]} dB"));
        Assert.True((double)report["size"]!["ratio"]! < 0.5);

        string html = File.ReadAllText(Path.Combine(reportDir, "report.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.Empty(Directory.GetFiles(reportDir, "*.tmp"));
    }

    [Fact]
    public void Ranges_from_calibrate_give_the_same_model_as_calibrating_here()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", "--calibration", Samples, "-o", dir.File("ranges.tsv")).AssertSucceeded();
        var fromTable = CliRun.Invoke("quantize", "--ranges", dir.File("ranges.tsv"), "-o", dir.File("a.ecnn"));
        fromTable.AssertSucceeded();
        Assert.Equal("", fromTable.Error);
        Assert.Contains($"ranges   {dir.File("ranges.tsv")} (percentile:99.99, 10 samples", fromTable.Output);
        CliRun.Invoke("quantize", "--calibration", Samples, "-o", dir.File("b.ecnn")).AssertSucceeded();
        Assert.Equal(File.ReadAllBytes(dir.File("b.ecnn")), File.ReadAllBytes(dir.File("a.ecnn")));
    }

    [Fact]
    public void Ranges_from_calibrate_cover_the_activations_the_quantizer_splits_off()
    {
        // tiny-cnn fuses a HardSwish into a conv: the quantizer splits it off into a lookup table, so the
        // conv's pre-activation output needs a range of its own. calibrate must observe that tensor too.
        using var dir = new TempDirectory();
        string model = RepositoryPaths.TinyCnnOnnx;
        string samples = Path.Combine(RepositoryPaths.TinyCnnDirectory, "samples");
        CliRun.Invoke("calibrate", model, "--calibration", samples, "-o", dir.File("ranges.tsv")).AssertSucceeded();
        Assert.Contains(File.ReadAllLines(dir.File("ranges.tsv")), l => l.Split('\t')[0].EndsWith("_preact", StringComparison.Ordinal));

        var fromTable = CliRun.Invoke("quantize", model, "--ranges", dir.File("ranges.tsv"), "-o", dir.File("a.ecnn"), "--json");
        fromTable.AssertSucceeded();
        Assert.Empty(fromTable.Json()["warnings"]!.AsArray());
        CliRun.Invoke("quantize", model, "--calibration", samples, "-o", dir.File("b.ecnn")).AssertSucceeded();
        Assert.Equal(File.ReadAllBytes(dir.File("b.ecnn")), File.ReadAllBytes(dir.File("a.ecnn")));
    }

    [Fact]
    public void A_range_missing_from_the_table_keeps_its_node_float_with_a_warning()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", "--calibration", Samples, "-o", dir.File("ranges.tsv")).AssertSucceeded();
        var lines = File.ReadAllLines(dir.File("ranges.tsv"));
        string dropped = lines.First(l => l.StartsWith("block1_dw", StringComparison.Ordinal)).Split('\t')[0];
        File.WriteAllLines(dir.File("partial.tsv"), lines.Where(l => !l.StartsWith(dropped + "\t", StringComparison.Ordinal)));

        var run = CliRun.Invoke("quantize", "--ranges", dir.File("partial.tsv"), "-o", dir.File("p.ecnn"), "--json");
        var json = run.Json();
        // The conv that writes the tensor and the conv that would quantize it both lack the range.
        var warning = Assert.Single(json["warnings"]!.AsArray());
        Assert.Contains("2 node(s) stay float", (string)warning!);
        var kept = json["floatNodes"]!.AsArray().Where(n => ((string)n!["reason"]!).Contains(dropped, StringComparison.Ordinal)).ToList();
        Assert.Equal(["block1_dw_conv", "block1_pw_conv"], kept.Select(n => (string)n!["node"]!));
        Assert.All(kept, n => Assert.StartsWith("no calibration range", (string)n!["reason"]!));
    }

    [Fact]
    public void Keep_float_and_per_tensor_are_applied()
    {
        using var dir = new TempDirectory();
        string target = dir.File("k.ecnn");
        var json = CliRun.Invoke("quantize", "--calibration", Samples, "-o", target, "--keep-float", "block1_dw_conv,classifier", "--per-tensor", "--json").Json();
        var floatNodes = json["floatNodes"]!.AsArray().Select(n => ((string)n!["node"]!, (string)n["reason"]!)).ToList();
        Assert.Contains(("block1_dw_conv", "kept float (--keep-float)"), floatNodes);
        Assert.Contains(("classifier", "kept float (--keep-float)"), floatNodes);
        Assert.Equal("per-tensor", (string)json["weights"]!);

        var model = ModelReader.Load(target);
        var weights = model.Tensors.Where(t => t.Type == DataType.Int8 && t.Kind == TensorKind.Constant && t.Rank >= 2).ToList();
        Assert.NotEmpty(weights);
        Assert.All(weights, w => Assert.True(w.Quant!.IsPerTensor, w.Name));
        var keptConv = model.Ops.Single(op => op.Name == "block1_dw_conv");
        Assert.Equal(DataType.Float32, model.Tensors[keptConv.Outputs[0]].Type);
    }

    [Fact]
    public void MobileNetV2_file_shrinks_below_three_tenths()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("zoo", "export", "mobilenet-v2", "--resolution", "64", "-o", dir.File("mnv2.onnx")).AssertSucceeded();
        var json = CliRun.Invoke("quantize", dir.File("mnv2.onnx"), "--calibration", Samples, "--samples", "2", "-o", dir.File("mnv2.ecnn"), "--json").Json();
        double ratio = (double)json["sizeRatio"]!;
        Assert.True(ratio <= 0.3, $"int8 {json["int8Bytes"]} bytes / fp32 {json["fp32Bytes"]} bytes = {ratio:F3}");
    }

    [Theory]
    [InlineData(new[] { "-o", "x.ecnn" }, "--calibration")]
    [InlineData(new[] { "--ranges", "r.tsv", "--method", "minmax", "-o", "x.ecnn" }, "--method")]
    [InlineData(new[] { "--ranges", "r.tsv", "--report", "out", "-o", "x.ecnn" }, "--report")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--samples", "0", "-o", "x.ecnn" }, "--samples 0")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--method", "kl", "-o", "x.ecnn" }, "--method")]
    [InlineData(new[] { "--calibration", "SAMPLES", "-o", "x.onnx" }, "must end in .ecnn")]
    [InlineData(new[] { "model.ecnn", "--calibration", "SAMPLES", "-o", "x.ecnn" }, "reads an .onnx model")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--keep-float", "no_such_node", "-o", "OUT" }, "no_such_node")]
    [InlineData(new[] { "--calibration", "SAMPLES", "--keep-float", "a,,b", "-o", "x.ecnn" }, "empty node name")]
    public void Usage_errors_exit_2_without_writing(string[] args, string mentions)
    {
        using var dir = new TempDirectory();
        string output = dir.File("out.ecnn");
        var run = CliRun.Invoke(["quantize", .. args.Select(a => a == "SAMPLES" ? Samples : a == "OUT" ? output : a)]);
        run.AssertFailed(2, mentions);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Missing_calibration_folder_exits_1()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("quantize", "--calibration", dir.File("nowhere"), "-o", dir.File("x.ecnn"));
        run.AssertFailed(1, "nowhere");
    }
}
