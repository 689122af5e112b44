using System.Text.Json.Nodes;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using StbImageSharp;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn run</c>: the embedded default model (trained on Fashion-MNIST, 1×28×28, logits) on its sample
/// images and on given files, and models/tiny-cnn (3×32×32, Softmax) where a 3-channel model is needed.</summary>
public class RunCommandTests
{
    private static string Disc => RepositoryPaths.Sample("disc.png");
    private static string TinyCnnOnnx => RepositoryPaths.TinyCnnOnnx;
    private static string TinyCnnLabels => Path.Combine(RepositoryPaths.TinyCnnDirectory, "labels.txt");
    private static string FashionOnnx => Path.Combine(RepositoryPaths.FashionMnistDirectory, FashionMnistModelFiles.OnnxFileName);
    private static string FashionSample(int c) =>
        Path.Combine(RepositoryPaths.FashionMnistDirectory, FashionMnistModelFiles.SamplesFolder, FashionMnistModelFiles.SampleFileName(c));

    /// <summary>ONNX Runtime's logits of the trained model on one 28×28 gray image, fed as pixel / 255.</summary>
    private static float[] OnnxRuntimeLogits(byte[] gray)
    {
        using var ort = new InferenceSession(FashionOnnx);
        var input = gray.Select(p => p / 255f).ToArray();
        using var results = ort.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, [1, 1, 28, 28]))]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    private static byte[] GrayPixels(string png) => ImageResult.FromMemory(File.ReadAllBytes(png), ColorComponents.Grey).Data;

    [Fact]
    public void Without_model_and_input_the_default_model_classifies_every_sample_correctly()
    {
        var run = CliRun.Invoke("run");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        Assert.Contains("fashion-mnist-dwsep.onnx (embedded default model", run.Output);
        Assert.Contains("input    input [1,1,28,28] Float32", run.Output);
        var lines = run.Output.Split('\n');
        for (int c = 0; c < FashionMnist.Labels.Length; c++)
        {
            string file = FashionMnistModelFiles.SampleFileName(c);
            string line = Assert.Single(lines, l => l.TrimStart().StartsWith(file + " ", StringComparison.Ordinal));
            string label = FashionMnist.Labels[c];
            // true label, then the same label predicted, then a probability and a time
            Assert.Matches($@"^\s+{System.Text.RegularExpressions.Regex.Escape(file)}\s+{System.Text.RegularExpressions.Regex.Escape(label)}\s+{System.Text.RegularExpressions.Regex.Escape(label)}\s+[01]\.\d{{4}}\s+[\d.]+ ms$", line);
        }
        Assert.Contains("correct  10/10", run.Output);
        Assert.Contains("time     median ", run.Output);
    }

    [Fact]
    public void Sample_run_json_probabilities_are_the_softmax_of_onnx_runtime_logits()
    {
        var json = CliRun.Invoke("run", "--json").Json();
        Assert.Equal("logits", (string?)json["outputs"]![0]!["name"]);
        Assert.Equal(10, (int)json["count"]!);
        Assert.Equal(10, (int)json["correct"]!);
        var results = json["results"]!.AsArray();
        Assert.Equal(10, results.Count);
        for (int c = 0; c < 10; c++)
        {
            var r = results[c]!;
            Assert.Equal(FashionMnistModelFiles.SampleFileName(c), (string?)r["file"]);
            Assert.Equal(c, (int)r["trueIndex"]!);
            Assert.Equal(FashionMnist.Labels[c], (string?)r["trueLabel"]);
            Assert.Equal(c, (int)r["predictedIndex"]!);
            Assert.True((bool)r["correct"]!);
            Assert.True((double)r["ms"]! >= 0);

            var logits = OnnxRuntimeLogits(GrayPixels(FashionSample(c)));
            double max = logits.Max();
            double expected = Math.Exp(logits[c] - max) / logits.Sum(v => Math.Exp(v - max));
            Assert.Equal(c, Array.IndexOf(logits, logits.Max()));
            Assert.True(Math.Abs(expected - (double)r["probability"]!) <= 1e-4, $"{r["file"]}: onnxruntime softmax {expected}, edgecnn {r["probability"]}");
        }
        var timing = json["timing"]!;
        Assert.InRange((double)timing["medianMs"]!, (double)timing["minMs"]!, (double)timing["maxMs"]!);
        Assert.True((long)json["arenaBytes"]! > 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(9)]
    public void Default_model_on_a_sample_file_agrees_with_onnx_runtime(int c)
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("run", "--input", FashionSample(c), "--output", dir.Path);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("output 'logits' [1,10]", run.Output);
        string first = Assert.Single(run.Output.Split('\n'), l => l.TrimStart().StartsWith("1. ", StringComparison.Ordinal));
        Assert.EndsWith("  " + FashionMnist.Labels[c], first);

        var ours = TensorProtoIo.Read(dir.File("output_0.pb"), out string name);
        Assert.Equal("logits", name);
        Assert.Equal([1, 10], ours.Shape);
        var expected = OnnxRuntimeLogits(GrayPixels(FashionSample(c)));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - ours.Floats![i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])),
                $"class {i}: onnxruntime {expected[i]}, edgecnn {ours.Floats![i]}");
    }

    [Fact]
    public void A_color_image_reaches_the_one_channel_default_model_as_its_luma()
    {
        using var dir = new TempDirectory();
        var rgb = new byte[28 * 28 * 3];
        for (int i = 0; i < 28 * 28; i++)
        {
            int y = i / 28, x = i % 28;
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = ((byte)(x * 9), (byte)(y * 9), (byte)((x * y) % 256));
        }
        File.WriteAllBytes(dir.File("color.png"), PngEncoder.EncodeRgb(28, 28, rgb));
        var run = CliRun.Invoke("run", "--input", dir.File("color.png"), "--output", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Error);

        // ITU-R BT.601 luma 0.299·R + 0.587·G + 0.114·B in thousandths, rounded half up to 8 bits (docs/preprocessing.md).
        var luma = new byte[28 * 28];
        for (int i = 0; i < luma.Length; i++)
        {
            int thousandths = 299 * rgb[3 * i] + 587 * rgb[3 * i + 1] + 114 * rgb[3 * i + 2];
            luma[i] = (byte)(thousandths / 1000 + (thousandths % 1000 >= 500 ? 1 : 0));
        }
        var expected = OnnxRuntimeLogits(luma);
        var ours = TensorProtoIo.Read(dir.File("out/output_0.pb")).Floats!;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - ours[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"class {i}: onnxruntime {expected[i]}, edgecnn {ours[i]}");
    }

    [Fact]
    public void Json_output_holds_the_scores_and_timing()
    {
        var json = CliRun.Invoke("run", TinyCnnOnnx, "--input", Disc, "--labels", TinyCnnLabels, "--top", "10", "--json").Json();
        var result = json["results"]![0]!;
        Assert.Equal("probabilities", (string?)result["name"]);
        var top = result["top"]!.AsArray();
        Assert.Equal(10, top.Count);
        var scores = top.Select(t => (double)t!["score"]!).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(1.0, scores.Sum(), 4); // Softmax output
        Assert.Equal(10, top.Select(t => (int)t!["index"]!).Distinct().Count());
        Assert.All(top, t => Assert.Equal(TinyCnn.Labels[(int)t!["index"]!], (string?)t["label"]));
        Assert.True((double)json["timing"]!["firstRunMs"]! >= 0);
        Assert.True((long)json["arenaBytes"]! > 0);
    }

    [Fact]
    public void Three_channel_model_agrees_with_onnx_runtime()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("run", TinyCnnOnnx, "--input", Disc, "--output", dir.Path);
        Assert.True(run.ExitCode == 0, run.Error);
        var ours = TensorProtoIo.Read(dir.File("output_0.pb"), out string name);
        Assert.Equal("probabilities", name);
        Assert.Equal([1, 10], ours.Shape);

        var input = ImageTensor.Load(Disc, new ImagePreprocessing { Height = 32, Width = 32 });
        using var ort = new InferenceSession(TinyCnnOnnx);
        using var results = ort.Run([NamedOnnxValue.CreateFromTensor(TinyCnn.InputName, new DenseTensor<float>(input.Floats!, [1, 3, 32, 32]))]);
        var expected = results.Single().AsEnumerable<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - ours.Floats![i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]),
                $"class {i}: onnxruntime {expected[i]}, edgecnn {ours.Floats![i]}");
    }

    [Fact]
    public void Npy_and_pb_inputs_give_the_same_result_as_the_image()
    {
        using var dir = new TempDirectory();
        var tensor = ImageTensor.Load(Disc, new ImagePreprocessing { Height = 32, Width = 32 });
        NpyFile.Write(dir.File("x.npy"), tensor);
        TensorProtoIo.Write(dir.File("x.pb"), TensorData.FromFloats([3, 32, 32], tensor.Floats!), "input");
        string Scores(string file) => CliRun.Invoke("run", TinyCnnOnnx, "--input", file, "--top", "10", "--json").Json()["results"]!.ToJsonString();
        string fromImage = Scores(Disc);
        Assert.Equal(fromImage, Scores(dir.File("x.npy")));
        Assert.Equal(fromImage, Scores(dir.File("x.pb")));
    }

    [Fact]
    public void Output_directory_gets_tensor_protos_matching_the_printed_scores()
    {
        using var dir = new TempDirectory();
        string outDir = Path.Combine(dir.Path, "nested", "out");
        var json = CliRun.Invoke("run", TinyCnnOnnx, "--input", Disc, "--output", outDir, "--top", "3", "--json").Json();
        var written = json["outputFiles"]!.AsArray().Select(f => (string)f!).ToArray();
        Assert.Equal([Path.Combine(outDir, "output_0.pb")], written);
        Assert.Equal(["output_0.pb"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        var data = TensorProtoIo.Read(written[0]).Floats!;
        foreach (var t in json["results"]![0]!["top"]!.AsArray())
            Assert.Equal((float)(double)t!["score"]!, data[(int)t["index"]!]);
    }

    [Fact]
    public void Labels_file_and_resize_options_are_used()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("labels.txt"), Enumerable.Range(0, 10).Select(i => $"thing-{i}"));
        var json = CliRun.Invoke("run", TinyCnnOnnx, "--input", RepositoryPaths.Sample("gradient.png"), "--labels", dir.File("labels.txt"),
            "--size", "32x32", "--mean", "0.5", "--std", "0.25", "--bgr", "--repeat", "3", "--json").Json();
        var top = json["results"]![0]!["top"]!.AsArray();
        Assert.All(top, t => Assert.Equal($"thing-{(int)t!["index"]!}", (string?)t["label"]));
        Assert.Equal(3, (int)json["timing"]!["runs"]!);
    }

    [Fact]
    public void Preprocessing_changes_the_input()
    {
        string Scores(params string[] extra) =>
            CliRun.Invoke(["run", TinyCnnOnnx, "--input", RepositoryPaths.Sample("gradient.png"), "--top", "10", "--json", .. extra]).Json()["results"]!.ToJsonString();
        Assert.NotEqual(Scores(), Scores("--bgr"));
        Assert.NotEqual(Scores(), Scores("--mean", "0.5,0.5,0.5"));
    }

    [Fact]
    public void Missing_input_file_fails_without_writing_outputs()
    {
        using var dir = new TempDirectory();
        string outDir = dir.File("out");
        var run = CliRun.Invoke("run", "--input", dir.File("missing.png"), "--output", outDir);
        run.AssertFailed(1, "missing.png");
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void Wrong_tensor_shape_names_the_file_and_the_input()
    {
        using var dir = new TempDirectory();
        NpyFile.Write(dir.File("small.npy"), TensorData.FromFloats([1, 3, 16, 16], new float[3 * 16 * 16]));
        var run = CliRun.Invoke("run", "--input", dir.File("small.npy"));
        run.AssertFailed(1, "small.npy");
        Assert.Contains("'input'", run.Error);
        Assert.Contains("[1,1,28,28]", run.Error);
    }

    [Fact]
    public void Corrupt_image_is_a_model_input_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("broken.png"), "definitely not a png");
        CliRun.Invoke("run", "--input", dir.File("broken.png")).AssertFailed(1, "broken.png");
    }

    [Theory]
    [InlineData("--top", "0", "--top")]
    [InlineData("--repeat", "0", "--repeat")]
    [InlineData("--size", "3x", "--size")]
    [InlineData("--mean", "a,b,c", "--mean")]
    [InlineData("--std", "0", "--std")]
    [InlineData("--input-shape", "input=1,3,x", "--input-shape")]
    public void Bad_option_values_are_usage_errors(string option, string value, string mentions) =>
        CliRun.Invoke("run", "--input", Disc, option, value).AssertFailed(2, mentions);

    [Fact]
    public void A_model_without_input_files_is_a_usage_error() =>
        CliRun.Invoke("run", TinyCnnOnnx).AssertFailed(2, "--input");

    [Theory]
    [InlineData("--output", "out")]
    [InlineData("--top", "3")]
    [InlineData("--repeat", "2")]
    public void Options_for_input_files_are_refused_by_the_sample_run(string option, string value) =>
        CliRun.Invoke("run", option, value).AssertFailed(2, option);

    [Fact]
    public void Too_many_inputs_is_a_usage_error() =>
        CliRun.Invoke("run", "--input", Disc, "--input", Disc).AssertFailed(2, "1 input");

    [Fact]
    public void Missing_labels_file_is_named() =>
        CliRun.Invoke("run", "--input", Disc, "--labels", "/no/labels.txt").AssertFailed(1, "/no/labels.txt");
}
