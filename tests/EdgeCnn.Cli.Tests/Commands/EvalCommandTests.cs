using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Tests.Datasets;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Models;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn eval</c> end to end on hand-made models whose predictions follow from the pixels, so every
/// expected count is known in advance.</summary>
public sealed class EvalCommandTests
{
    /// <summary>scores = per-channel mean of a [1,3,H,W] image: a solid red image predicts class 0, green 1, blue 2.</summary>
    private static string ChannelMeanModel(TempDirectory dir, int height = 2, int width = 2)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 3, height, width]);
        b.AddNode("GlobalAveragePool", ["x"], ["pooled"]);
        b.AddNode("Flatten", ["pooled"], ["scores"]);
        b.AddOutput("scores");
        string path = dir.File($"mean{height}x{width}.onnx");
        b.Save(path);
        return path;
    }

    /// <summary>scores = the 7 pixels of a [1,1,1,7] gray image.</summary>
    private static string PixelModel(TempDirectory dir)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 1, 1, 7]);
        b.AddNode("Flatten", ["x"], ["scores"]);
        b.AddOutput("scores");
        string path = dir.File("pixels.onnx");
        b.Save(path);
        return path;
    }

    private static void Solid(string path, byte r, byte g, byte b)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, PngEncoder.EncodeRgb(3, 3, Enumerable.Range(0, 9).SelectMany(_ => new[] { r, g, b }).ToArray()));
    }

    /// <summary>red/: red, red, green; green/: green, blue; blue/: blue; plus a stray text file.</summary>
    private static string ColorFolder(TempDirectory dir)
    {
        string data = dir.File("colors");
        Solid(Path.Combine(data, "red", "1.png"), 255, 0, 0);
        Solid(Path.Combine(data, "red", "2.png"), 200, 10, 10);
        Solid(Path.Combine(data, "red", "3.png"), 0, 255, 0);
        Solid(Path.Combine(data, "green", "1.png"), 0, 255, 0);
        Solid(Path.Combine(data, "green", "2.png"), 0, 0, 255);
        Solid(Path.Combine(data, "blue", "1.png"), 0, 0, 255);
        File.WriteAllText(Path.Combine(data, "green", "notes.txt"), "not an image");
        File.WriteAllLines(dir.File("labels.txt"), ["red", "green", "blue"]);
        return data;
    }

    private static int[][] Matrix(JsonNode json) =>
        json["confusion"]!["matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => (int)v!).ToArray()).ToArray();

    [Fact]
    public void Folder_eval_reports_accuracy_per_class_and_the_confusion_matrix_as_json()
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        var run = CliRun.Invoke("eval", ChannelMeanModel(dir), "--data", data, "--labels", dir.File("labels.txt"), "--json");
        var json = run.Json();

        Assert.Equal(6, (int)json["count"]!);
        Assert.Equal(4, (int)json["top1"]!["correct"]!);
        Assert.Equal(4 / 6.0, (double)json["top1"]!["accuracy"]!, 12);
        Assert.Null(json["top5"]); // three classes
        var perClass = json["perClass"]!.AsArray().Select(c => ((int)c!["output"]!, (string)c["label"]!, (int)c["count"]!, (int)c["correct"]!)).ToArray();
        Assert.Equal([(0, "red", 3, 2), (1, "green", 2, 1), (2, "blue", 1, 1)], perClass);
        Assert.Equal([[2, 1, 0], [0, 1, 1], [0, 0, 1]], Matrix(json));
        Assert.Equal([0, 0, 0], json["confusion"]!["other"]!.AsArray().Select(v => (int)v!));
        Assert.Equal("folder", (string)json["data"]!["kind"]!);
        Assert.Contains("notes.txt", (string)json["data"]!["warnings"]![0]!);
        Assert.Contains("notes.txt", run.Error); // warnings go to stderr, and nothing else does (no progress bar off a terminal)
        Assert.All(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("edgecnn: warning: ", line));
        var latency = json["latency"]!;
        Assert.Equal(6, (int)latency["runs"]!);
        Assert.True((double)latency["medianMs"]! > 0 && (double)latency["p90Ms"]! >= (double)latency["medianMs"]!);
        Assert.True((double)latency["preprocessTotalMs"]! > 0);
    }

    [Fact]
    public void Bgr_swaps_what_the_model_sees()
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        var json = CliRun.Invoke("eval", ChannelMeanModel(dir), "--data", data, "--labels", dir.File("labels.txt"), "--bgr", "--json").Json();
        // Red and blue trade places: only the green image in green/ stays right.
        Assert.Equal(1, (int)json["top1"]!["correct"]!);
        Assert.Equal([[0, 1, 2], [1, 1, 0], [1, 0, 0]], Matrix(json));
    }

    [Fact]
    public void Folder_names_without_labels_map_in_ordinal_order()
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        // Without labels: blue = 0, green = 1, red = 2 — the model's red output (0) is called "blue".
        var json = CliRun.Invoke("eval", ChannelMeanModel(dir), "--data", data, "--json").Json();
        Assert.Equal(["blue", "green", "red"], json["perClass"]!.AsArray().Select(c => (string)c!["label"]!));
        Assert.Equal(1, (int)json["top1"]!["correct"]!); // only green/1.png
    }

    [Fact]
    public void Idx_eval_reports_top5_and_honours_limit()
    {
        using var dir = new TempDirectory();
        byte[] pixels =
        [
            0, 0, 0, 200, 0, 0, 0,        // label 3: rank 1
            10, 60, 50, 40, 30, 20, 0,    // label 0: rank 6
            60, 50, 40, 30, 20, 10, 0,    // label 4: rank 5
            0, 0, 0, 0, 0, 0, 255,        // label 6: rank 1
        ];
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), IdxFileTests.Gzip(IdxFileTests.Idx([4, 1, 7], pixels)));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), IdxFileTests.Gzip(IdxFileTests.Idx([4], [3, 0, 4, 6])));
        File.WriteAllLines(dir.File("names.txt"), Enumerable.Range(0, 7).Select(i => $"c{i}"));
        string model = PixelModel(dir);

        var json = CliRun.Invoke("eval", model, "--data", dir.File("t10k-images-idx3-ubyte.gz"), "--labels", dir.File("names.txt"), "--json").Json();
        Assert.Equal((4, 2, 3), ((int)json["count"]!, (int)json["top1"]!["correct"]!, (int)json["top5"]!["correct"]!));
        Assert.Equal(0.75, (double)json["top5"]!["accuracy"]!, 12);
        Assert.Equal([(0, "c0"), (3, "c3"), (4, "c4"), (6, "c6")], json["perClass"]!.AsArray().Select(c => ((int)c!["output"]!, (string)c["label"]!)));
        // Rows/columns 0, 3, 4, 6: label 0 was predicted 1 and label 4 predicted 0 — 1 is outside the data's classes.
        Assert.Equal([[0, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]], Matrix(json));
        Assert.Equal([1, 0, 0, 0], json["confusion"]!["other"]!.AsArray().Select(v => (int)v!));
        Assert.True((bool)json["preprocessing"]!["grayscale"]!);

        var limited = CliRun.Invoke("eval", model, "--data", dir.File("t10k-images-idx3-ubyte.gz"), "--limit", "3", "--json").Json();
        Assert.Equal((3, 1, 2), ((int)limited["count"]!, (int)limited["top1"]!["correct"]!, (int)limited["top5"]!["correct"]!));
        Assert.Equal(4, (int)limited["data"]!["images"]!);
    }

    [Fact]
    public void Text_output_has_the_accuracy_lines_and_tables()
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        var run = CliRun.Invoke("eval", ChannelMeanModel(dir), "--data", data, "--labels", dir.File("labels.txt"));
        run.AssertSucceeded();
        Assert.Contains("top-1    66.67% (4/6)", run.Output);
        Assert.DoesNotContain("top-5", run.Output);
        Assert.Contains("per class", run.Output);
        Assert.Contains("confusion", run.Output);
        Assert.Contains("median", run.Output);
        Assert.Contains("p90", run.Output);
    }

    [Fact]
    public void A_missing_or_unreadable_data_path_exits_1_naming_it()
    {
        using var dir = new TempDirectory();
        string model = ChannelMeanModel(dir);
        CliRun.Invoke("eval", model, "--data", dir.File("nowhere")).AssertFailed(1, dir.File("nowhere"));

        Solid(dir.File("picture.png"), 1, 2, 3);
        var notIdx = CliRun.Invoke("eval", model, "--data", dir.File("picture.png"), "--idx-labels", dir.File("picture.png"));
        notIdx.AssertFailed(1, dir.File("picture.png"));
        Assert.Contains("magic", notIdx.Error);

        Directory.CreateDirectory(dir.File("empty"));
        CliRun.Invoke("eval", model, "--data", dir.File("empty")).AssertFailed(1, dir.File("empty"));
    }

    [Fact]
    public void A_preprocessing_size_that_does_not_fit_the_model_exits_1()
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        var run = CliRun.Invoke("eval", ChannelMeanModel(dir), "--data", data, "--size", "4x4");
        run.AssertFailed(1, "preprocessing makes [1,3,4,4]");
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--preset", "bogus")]
    [InlineData("--resize-short", "0")]
    public void Bad_option_values_exit_2(string option, string value)
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        CliRun.Invoke("eval", ChannelMeanModel(dir), "--data", data, option, value).AssertFailed(2, option);
    }

    [Fact]
    public void Contradictory_preprocessing_options_exit_2()
    {
        using var dir = new TempDirectory();
        string data = ColorFolder(dir);
        string model = ChannelMeanModel(dir);
        CliRun.Invoke("eval", model, "--data", data, "--size", "2x2", "--crop", "2x2").AssertFailed(2, "--crop");
        CliRun.Invoke("eval", model, "--data", data, "--pad-right", "--crop", "2x2").AssertFailed(2, "--pad-right");
        CliRun.Invoke("eval", model, "--data", data, "--idx-labels", data).AssertFailed(2, "--idx-labels");
    }

    [Fact]
    public void Run_shares_the_preprocessing_options_pad_right_zero_fills()
    {
        using var dir = new TempDirectory();
        // A 3×3 red image into [1,3,2,4] with --pad-right: width ⌈2·3/3⌉ = 2, columns 2 and 3 are 0, so the red mean is 0.5.
        Solid(dir.File("red.png"), 255, 0, 0);
        var json = CliRun.Invoke("run", ChannelMeanModel(dir, 2, 4), "--input", dir.File("red.png"), "--pad-right", "--json").Json();
        var top = json["results"]![0]!["top"]![0]!;
        Assert.Equal(0, (int)top["index"]!);
        Assert.Equal(0.5, (double)top["score"]!, 6);

        var preset = CliRun.Invoke("run", ChannelMeanModel(dir, 2, 4), "--input", dir.File("red.png"), "--preset", "paddle-cls", "--size", "2x4", "--json").Json();
        // paddle-cls: BGR and (x/255 − 0.5)/0.5 then zero padding: channel 2 (red) = (1 + 1 + 0 + 0)/4·... = (2·1 + 2·0)/4 = 0.5;
        // channels 0 and 1 (blue, green) = (2·(−1) + 2·0)/4 = −0.5.
        var scores = preset["results"]![0]!["top"]!.AsArray().OrderBy(t => (int)t!["index"]!).Select(t => (double)t!["score"]!).ToArray();
        Assert.Equal([-0.5, -0.5, 0.5], scores.Select(s => Math.Round(s, 6)));
    }
}
