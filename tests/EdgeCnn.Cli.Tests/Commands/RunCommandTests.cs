using System.Text.Json.Nodes;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Preprocessing;
using EdgeCnn.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeCnn.Cli.Tests.Commands;

public class RunCommandTests
{
    private static string Disc => RepositoryPaths.Sample("disc.png");
    private static string OnnxPath => Path.Combine(RepositoryPaths.DefaultModelDirectory, "tiny-cnn.onnx");

    [Fact]
    public void Default_model_prints_top_five_with_labels_and_timing()
    {
        var run = CliRun.Invoke("run", "--input", Disc);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        Assert.Contains("tiny-cnn.onnx (embedded default model", run.Output);
        Assert.Contains("output 'probabilities' [1,10]", run.Output);
        var ranked = run.Output.Split('\n').Where(l => l.TrimStart().StartsWith("1. ") || l.Contains(" 5. ")).ToList();
        Assert.Equal(2, ranked.Count);
        Assert.Contains(TinyCnn.Labels, label => ranked[0].EndsWith(label));
        Assert.Contains("first run", run.Output);
    }

    [Fact]
    public void Json_output_holds_the_scores_and_timing()
    {
        var json = CliRun.Invoke("run", "--input", Disc, "--top", "10", "--json").Json();
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
    public void Default_model_agrees_with_onnx_runtime()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("run", "--input", Disc, "--output", dir.Path);
        Assert.True(run.ExitCode == 0, run.Error);
        var ours = TensorProtoIo.Read(dir.File("output_0.pb"), out string name);
        Assert.Equal("probabilities", name);
        Assert.Equal([1, 10], ours.Shape);

        var input = ImageTensor.Load(Disc, new ImagePreprocessing { Height = 32, Width = 32 });
        using var ort = new InferenceSession(OnnxPath);
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
        string Scores(string file) => CliRun.Invoke("run", "--input", file, "--top", "10", "--json").Json()["results"]!.ToJsonString();
        string fromImage = Scores(Disc);
        Assert.Equal(fromImage, Scores(dir.File("x.npy")));
        Assert.Equal(fromImage, Scores(dir.File("x.pb")));
    }

    [Fact]
    public void Output_directory_gets_tensor_protos_matching_the_printed_scores()
    {
        using var dir = new TempDirectory();
        string outDir = Path.Combine(dir.Path, "nested", "out");
        var json = CliRun.Invoke("run", OnnxPath, "--input", Disc, "--output", outDir, "--top", "3", "--json").Json();
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
        var json = CliRun.Invoke("run", OnnxPath, "--input", RepositoryPaths.Sample("gradient.png"), "--labels", dir.File("labels.txt"),
            "--size", "32x32", "--mean", "0.5", "--std", "0.25", "--bgr", "--repeat", "3", "--json").Json();
        var top = json["results"]![0]!["top"]!.AsArray();
        Assert.All(top, t => Assert.Equal($"thing-{(int)t!["index"]!}", (string?)t["label"]));
        Assert.Equal(3, (int)json["timing"]!["runs"]!);
    }

    [Fact]
    public void Preprocessing_changes_the_input()
    {
        string Scores(params string[] extra) =>
            CliRun.Invoke(["run", "--input", RepositoryPaths.Sample("gradient.png"), "--top", "10", "--json", .. extra]).Json()["results"]!.ToJsonString();
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
        Assert.Contains("[1,3,32,32]", run.Error);
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
    public void Missing_input_option_is_a_usage_error() =>
        CliRun.Invoke("run").AssertFailed(2, "--input");

    [Fact]
    public void Too_many_inputs_is_a_usage_error() =>
        CliRun.Invoke("run", "--input", Disc, "--input", Disc).AssertFailed(2, "1 input");

    [Fact]
    public void Missing_labels_file_is_named() =>
        CliRun.Invoke("run", "--input", Disc, "--labels", "/no/labels.txt").AssertFailed(1, "/no/labels.txt");
}
