using System.Text.Json.Nodes;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Analysis;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn bench</c>: the JSON it reports, the engines it runs side by side, and its errors. Times are
/// only checked for order (min ≤ median ≤ p90 ≤ max), never against a budget.</summary>
public sealed class BenchCommandTests
{
    private static string TinyCnnOnnx => RepositoryPaths.TinyCnnOnnx;
    private static string FashionOnnx => Path.Combine(RepositoryPaths.FashionMnistDirectory, "fashion-mnist-dwsep.onnx");
    private static string FashionSamples => Path.Combine(RepositoryPaths.FashionMnistDirectory, "samples");

    private static void AssertLatencyOrder(JsonNode row)
    {
        double min = (double)row["minMs"]!, median = (double)row["medianMs"]!, p90 = (double)row["p90Ms"]!, max = (double)row["maxMs"]!;
        double mean = (double)row["meanMs"]!;
        Assert.True(min > 0 && min <= median && median <= p90 && p90 <= max, $"min {min}, median {median}, p90 {p90}, max {max}");
        Assert.True(min <= mean && mean <= max, $"mean {mean} outside [{min}, {max}]");
    }

    [Fact]
    public void Json_reports_every_supported_kernel_path_and_onnx_runtime_fp32_on_the_same_input()
    {
        var json = CliRun.Invoke("bench", TinyCnnOnnx, "--kernel-path", "all", "--runs", "3", "--warmup", "1", "--compare-ort", "--json").Json();

        Assert.Equal(TinyCnnOnnx, (string?)json["model"]);
        long macs = ModelAnalyzer.Analyze(ModelCompiler.Compile(TinyCnnOnnx)).Macs;
        Assert.True(macs > 0);
        Assert.Equal(macs, (long)json["macs"]!);
        Assert.Equal(1, (int)json["threads"]!);
        Assert.Equal(3, (int)json["runs"]!);
        Assert.Equal(1, (int)json["warmup"]!);
        Assert.False((bool)json["interleaved"]!);
        Assert.False(string.IsNullOrEmpty((string?)json["onnxRuntimeVersion"]));
        var cpu = json["cpu"]!;
        Assert.Equal(CpuFeatures.Current.Avx2, (bool)cpu["avx2"]!);
        Assert.Equal(CpuFeatures.Current.AdvSimdDp, (bool)cpu["advSimdDp"]!);
        Assert.Equal(CpuFeatures.Current.Best.ToString(), (string?)cpu["bestKernelPath"]);

        var supported = CpuFeatures.Current.SupportedPaths.Select(p => p.ToString()).ToArray();
        var results = json["results"]!.AsArray();
        Assert.Equal(supported.Length + 1, results.Count);
        for (int i = 0; i < supported.Length; i++)
        {
            var row = results[i]!;
            Assert.Equal("edgecnn", (string?)row["engine"]);
            Assert.Equal("fp32", (string?)row["precision"]);
            Assert.Equal(supported[i], (string?)row["kernelPath"]);
            AssertLatencyOrder(row);
            Assert.True((long)row["plannedArenaBytes"]! > 0 && (long)row["plannedArenaBytes"]! <= (long)row["arenaBytes"]!);
            // Session.Run allocates nothing once warmed up; the benchmark's own loop must not either.
            Assert.Equal(0.0, (double)row["allocatedBytesPerRun"]!);
            double gmacs = (double)row["gmacPerSecond"]!;
            Assert.Equal(macs / ((double)row["medianMs"]! * 1e6), gmacs, 1e-9);
            Assert.Null(row["vsOrtInt8"]);
        }

        var ort = results[^1]!;
        Assert.Equal("onnxruntime", (string?)ort["engine"]);
        Assert.Equal("fp32", (string?)ort["precision"]);
        Assert.Null(ort["kernelPath"]);
        Assert.Equal(TinyCnnOnnx, (string?)ort["file"]);
        AssertLatencyOrder(ort);
        Assert.Null(ort["vsOrtFp32"]);
        // Both engines ran the same float model on the same input: the outputs (softmax probabilities) agree.
        Assert.True((double)ort["maxAbsDiffVsFirst"]! < 1e-4, $"ORT fp32 differs from EdgeCnn fp32 by {ort["maxAbsDiffVsFirst"]}");
        double ortMedian = (double)ort["medianMs"]!;
        foreach (var row in results.Take(supported.Length))
            Assert.Equal((double)row!["medianMs"]! / ortMedian, (double)row["vsOrtFp32"]!, 1e-9);
    }

    [Fact]
    public void An_int8_model_runs_next_to_onnx_runtime_fp32_and_its_qdq_export()
    {
        using var dir = new TempDirectory();
        string ecnn = dir.File("fm.ecnn");
        string qdq = dir.File("fm.qdq.onnx");
        CliRun.Invoke("quantize", FashionOnnx, "--calibration", FashionSamples, "-m", "minmax", "-o", ecnn, "--emit-qdq", qdq).AssertSucceeded();

        var json = CliRun.Invoke("bench", ecnn, "--runs", "2", "--warmup", "1", "--compare-ort", "--onnx", FashionOnnx, "--qdq", qdq, "--json").Json();
        Assert.Equal("ecnn", (string?)json["format"]);
        var results = json["results"]!.AsArray();
        Assert.Equal(3, results.Count);
        var (ours, fp32, int8) = (results[0]!, results[1]!, results[2]!);
        Assert.Equal(("edgecnn", "int8", CpuFeatures.Current.Best.ToString()), ((string?)ours["engine"], (string?)ours["precision"], (string?)ours["kernelPath"]));
        Assert.Equal(("onnxruntime", "fp32", FashionOnnx), ((string?)fp32["engine"], (string?)fp32["precision"], (string?)fp32["file"]));
        Assert.Equal(("onnxruntime", "int8", qdq), ((string?)int8["engine"], (string?)int8["precision"], (string?)int8["file"]));
        Assert.Equal((double)ours["medianMs"]! / (double)fp32["medianMs"]!, (double)ours["vsOrtFp32"]!, 1e-9);
        Assert.Equal((double)ours["medianMs"]! / (double)int8["medianMs"]!, (double)ours["vsOrtInt8"]!, 1e-9);
        // The QDQ export is the same integer model: ONNX Runtime's logits land within a few quantization steps of ours.
        double diffInt8 = (double)int8["maxAbsDiffVsFirst"]!;
        double diffFp32 = (double)fp32["maxAbsDiffVsFirst"]!;
        Assert.True(diffInt8 < 0.2, $"ORT int8 logits differ from EdgeCnn int8 by {diffInt8}");
        Assert.True(diffFp32 < 2.0, $"ORT fp32 logits differ from EdgeCnn int8 by {diffFp32}");
    }

    [Fact]
    public void Profile_accounts_for_every_op_of_the_compiled_model()
    {
        var model = ModelCompiler.Compile(TinyCnnOnnx);
        var expected = model.Ops.GroupBy(o => o.Code.ToString()).ToDictionary(g => g.Key, g => g.Count());
        var json = CliRun.Invoke("bench", TinyCnnOnnx, "--runs", "2", "--warmup", "1", "--profile", "--compare-ort", "--json").Json();
        var results = json["results"]!.AsArray();
        var ours = results[0]!["profile"]!;
        Assert.Equal(2, (int)ours["runs"]!);
        var byCode = ours["byOpCode"]!.AsArray();
        Assert.Equal(expected, byCode.ToDictionary(c => (string)c!["op"]!, c => (int)c!["count"]!));
        double total = (double)ours["totalMs"]!;
        Assert.True(total > 0);
        Assert.Equal(total, byCode.Sum(c => (double)c!["ms"]!), 1e-9);
        Assert.Equal(1.0, byCode.Sum(c => (double)c!["share"]!), 1e-9);
        var slowest = ours["slowest"]!.AsArray();
        Assert.Equal(Math.Min(10, model.Ops.Length), slowest.Count);
        Assert.All(slowest, o => Assert.Contains(model.Ops, op => op.Name == (string?)o!["name"]));
        Assert.Null(results[^1]!["profile"]);

        var text = CliRun.Invoke("bench", TinyCnnOnnx, "--runs", "1", "--warmup", "0", "--profile", "--kernel-path", "reference");
        text.AssertSucceeded();
        Assert.Contains("profile  edgecnn fp32 Reference, mean of 1 observed runs", text.Output);
        Assert.Contains("slowest  ", text.Output);
    }

    [Fact]
    public void Interleaved_runs_time_every_engine_and_say_so()
    {
        var json = CliRun.Invoke("bench", TinyCnnOnnx, "--kernel-path", "all", "--runs", "3", "--warmup", "1", "--compare-ort", "--interleave", "--json").Json();
        Assert.True((bool)json["interleaved"]!);
        var results = json["results"]!.AsArray();
        Assert.Equal(CpuFeatures.Current.SupportedPaths.Count + 1, results.Count);
        foreach (var row in results) AssertLatencyOrder(row!);
        // Taking turns must not let one engine's run disturb another's buffers: outputs still agree.
        foreach (var row in results.Skip(1)) Assert.True((double)row!["maxAbsDiffVsFirst"]! < 1e-4, $"{row["engine"]} {row["kernelPath"]}: {row["maxAbsDiffVsFirst"]}");
        foreach (var row in results.Take(results.Count - 1)) Assert.Equal(0.0, (double)row!["allocatedBytesPerRun"]!);
    }

    [Fact]
    public void Text_output_has_the_header_and_one_table_row_per_engine()
    {
        var run = CliRun.Invoke("bench", TinyCnnOnnx, "--runs", "2", "--warmup", "0", "--kernel-path", "reference", "--compare-ort");
        run.AssertSucceeded();
        Assert.Contains($"model    {TinyCnnOnnx} (onnx, compiled in memory", run.Output);
        Assert.Contains("cpu      ", run.Output);
        Assert.Contains(" MACs per inference", run.Output);
        Assert.Contains("runs     2 timed after 0 warm-up, 1 thread", run.Output);
        Assert.Contains("vs ORT fp32", run.Output);
        var lines = run.Output.Split('\n');
        Assert.Single(lines, l => l.TrimStart().StartsWith("edgecnn ", StringComparison.Ordinal) && l.Contains("Reference"));
        Assert.Single(lines, l => l.TrimStart().StartsWith("onnxruntime ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--threads", "0", "--threads 0")]
    [InlineData("--runs", "0", "--runs 0")]
    [InlineData("--warmup", "-1", "--warmup -1")]
    [InlineData("--kernel-path", "sse9", "--kernel-path 'sse9'")]
    [InlineData("--onnx", "x.onnx", "--onnx applies with --compare-ort")]
    [InlineData("--qdq", "x.onnx", "--qdq applies with --compare-ort")]
    public void Bad_options_are_usage_errors_before_the_model_is_read(string option, string value, string mentions) =>
        // The model does not exist: the usage error must come first.
        CliRun.Invoke("bench", "missing-model.onnx", option, value).AssertFailed(2, mentions);

    [Fact]
    public void A_kernel_path_this_machine_lacks_is_a_usage_error_naming_it()
    {
        var missing = Enum.GetValues<KernelPath>().Where(p => !CpuFeatures.Current.Supports(p)).ToArray();
        if (missing.Length == 0) Assert.Skip("this machine supports every kernel path, so none can be refused");
        string name = missing[0].ToString().ToLowerInvariant();
        CliRun.Invoke("bench", TinyCnnOnnx, "--kernel-path", name).AssertFailed(2, $"--kernel-path {name}: this machine cannot run it");
    }

    [Fact]
    public void Compare_ort_option_combinations_are_checked()
    {
        using var dir = new TempDirectory();
        string ecnn = dir.File("tiny.ecnn");
        CliRun.Invoke("compile", TinyCnnOnnx, "-o", ecnn).AssertSucceeded();
        CliRun.Invoke("bench", ecnn, "--compare-ort").AssertFailed(2, "--compare-ort with an .ecnn MODEL needs");
        CliRun.Invoke("bench", TinyCnnOnnx, "--compare-ort", "--onnx", TinyCnnOnnx).AssertFailed(2, "--onnx: MODEL");
        CliRun.Invoke("bench", ecnn, "--compare-ort", "--qdq", dir.File("q.txt")).AssertFailed(2, "--qdq");
    }

    [Fact]
    public void Bad_model_files_fail_with_a_message_naming_the_file()
    {
        using var dir = new TempDirectory();
        string missing = dir.File("absent.ecnn");
        CliRun.Invoke("bench", missing).AssertFailed(1, missing);

        string garbage = dir.File("garbage.ecnn");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        CliRun.Invoke("bench", garbage).AssertFailed(1, garbage);

        string text = dir.File("model.txt");
        File.WriteAllText(text, "not a model");
        CliRun.Invoke("bench", text).AssertFailed(1, text);

        // ONNX Runtime's own load failure names the file it was given.
        string badOnnx = dir.File("bad.onnx");
        File.WriteAllText(badOnnx, "not protobuf either");
        CliRun.Invoke("bench", TinyCnnOnnx, "--runs", "1", "--compare-ort", "--qdq", badOnnx).AssertFailed(1, badOnnx);
    }
}
