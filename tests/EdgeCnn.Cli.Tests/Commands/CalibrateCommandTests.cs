using System.Security.Cryptography;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeCnn.Cli.Tests.Commands;

public class CalibrateCommandTests
{
    private static string Samples => Path.Combine(RepositoryPaths.TinyCnnDirectory, "samples");
    private static string OnnxPath => Path.Combine(RepositoryPaths.TinyCnnDirectory, "tiny-cnn.onnx");
    private static readonly string[] SampleNames = ["checkerboard.png", "disc.png", "gradient.png"];

    // The float model the quantizer starts from (optimized, non-clamp activations split off): the table must
    // cover every one of its activations.
    private static CompiledModel TinyCnnOptimized() =>
        ModelLoader.Load(OnnxPath, new Dictionary<string, int[]>(), optimize: true, forQuantization: true).Model;

    private static HashSet<string> ActivationNames(CompiledModel model) =>
        model.Tensors.Where(t => t.Kind != TensorKind.Constant).Select(t => t.Name).ToHashSet();

    [Fact]
    public void Table_covers_every_activation()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ranges.tsv");
        var run = CliRun.Invoke("calibrate", OnnxPath, "--calibration", Samples, "-o", path);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        Assert.Contains("data     3 sample(s)", run.Output);
        Assert.Contains("method   percentile:99.99", run.Output);
        Assert.Contains($"wrote    {path}", run.Output);

        var model = TinyCnnOptimized();
        var names = ActivationNames(model);
        var table = RangeTable.Load(path, names);
        Assert.Equal("tiny-cnn.onnx", table.Model);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(OnnxPath))), table.ModelSha256);
        Assert.Equal("input=1,3,32,32", table.Inputs);
        Assert.Equal("percentile:99.99", table.Method);
        Assert.Equal(3, table.Samples);
        Assert.Equal(names.Order(StringComparer.Ordinal), table.Entries.Select(e => e.Tensor).Order(StringComparer.Ordinal));
        foreach (var e in table.Entries)
        {
            Assert.True(e.Range.Min <= 0 && e.Range.Max >= 0, $"{e.Tensor}: [{e.Range.Min}, {e.Range.Max}] misses 0");
            Assert.True(e.Range.Min >= Math.Min(e.ObservedMin, 0) && e.Range.Max <= Math.Max(e.ObservedMax, 0), $"{e.Tensor} exceeds what was observed");
            Assert.Equal(3, e.Samples);
        }
    }

    [Fact]
    public void Observed_extremes_match_the_images_and_onnx_runtime()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("calibrate", OnnxPath, "--calibration", Samples, "--method", "minmax", "-o", dir.File("r.tsv"));
        Assert.True(run.ExitCode == 0, run.Error);
        var table = RangeTable.Load(dir.File("r.tsv"));
        var images = SampleNames.Select(n => ImageTensor.Load(Path.Combine(Samples, n), new ImagePreprocessing { Height = 32, Width = 32 }).AsFloats()).ToList();
        var input = table.Entries.Single(e => e.Tensor == "input");
        Assert.Equal(images.SelectMany(i => i).Min(), input.ObservedMin);
        Assert.Equal(images.SelectMany(i => i).Max(), input.ObservedMax);

        using var ort = new InferenceSession(OnnxPath);
        var probabilities = images.SelectMany(image =>
        {
            using var results = ort.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(image, [1, 3, 32, 32]))]);
            return results.First().AsEnumerable<float>().ToArray();
        }).ToList();
        var output = table.Entries.Single(e => e.Tensor == "probabilities");
        Assert.Equal(probabilities.Min(), output.ObservedMin, 5);
        Assert.Equal(probabilities.Max(), output.ObservedMax, 5);
        // MinMax keeps what was seen, widened to 0.
        Assert.Equal(new TensorRange(0, output.ObservedMax), output.Range);
    }

    [Fact]
    public void Json_output_holds_the_ranges_written_to_the_table()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ranges.tsv");
        var json = CliRun.Invoke("calibrate", OnnxPath, "--calibration", Samples, "--method", "entropy", "-o", path, "--json").Json();
        var table = RangeTable.Load(path);
        Assert.Equal("entropy", (string?)json["method"]);
        Assert.Equal(3, (int)json["samples"]!);
        Assert.Equal(table.ModelSha256, (string?)json["modelSha256"]);
        Assert.Equal(SampleNames.Select(n => Path.Combine(Samples, n)), json["files"]!.AsArray().Select(f => (string?)f));
        var ranges = json["ranges"]!.AsArray();
        Assert.Equal(table.Entries.Count, ranges.Count);
        for (int i = 0; i < ranges.Count; i++)
        {
            var e = table.Entries[i];
            Assert.Equal(e.Tensor, (string?)ranges[i]!["tensor"]);
            Assert.Equal(e.Range.Min, (float)(double)ranges[i]!["min"]!);
            Assert.Equal(e.Range.Max, (float)(double)ranges[i]!["max"]!);
            Assert.Equal(e.ObservedMax, (float)(double)ranges[i]!["observedMax"]!);
        }
        Assert.Equal(path, (string?)json["output"]);
    }

    [Theory]
    [InlineData("minmax")]
    [InlineData("percentile:99.9")]
    [InlineData("entropy")]
    [InlineData("mse")]
    public void The_same_data_gives_the_same_bytes(string method)
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, "-m", method, "-o", dir.File("a.tsv")).AssertSucceeded();
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, "-m", method, "-o", dir.File("b.tsv")).AssertSucceeded();
        Assert.Equal(File.ReadAllBytes(dir.File("a.tsv")), File.ReadAllBytes(dir.File("b.tsv")));
        Assert.Equal(method, RangeTable.Load(dir.File("a.tsv")).Method);
    }

    [Fact]
    public void Without_a_model_the_embedded_default_model_is_calibrated()
    {
        using var dir = new TempDirectory();
        string fashion = Path.Combine(RepositoryPaths.FashionMnistDirectory, "samples");
        CliRun.Invoke("calibrate", "-c", fashion, "-m", "minmax", "-o", dir.File("r.tsv")).AssertSucceeded();
        var table = RangeTable.Load(dir.File("r.tsv"));
        Assert.Equal(DefaultModel.Name, table.Model);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(RepositoryPaths.FashionMnistDirectory, DefaultModel.Name)))), table.ModelSha256);
        Assert.Equal("input=1,1,28,28", table.Inputs);
        Assert.Equal(10, table.Samples);
    }

    [Fact]
    public void A_npy_of_the_preprocessed_image_calibrates_like_the_image()
    {
        using var dir = new TempDirectory();
        string disc = Path.Combine(Samples, "disc.png");
        NpyFile.Write(dir.File("disc.npy"), ImageTensor.Load(disc, new ImagePreprocessing { Height = 32, Width = 32 }));
        CliRun.Invoke("calibrate", OnnxPath, "-c", disc, "-o", dir.File("image.tsv")).AssertSucceeded();
        CliRun.Invoke("calibrate", OnnxPath, "-c", dir.File("disc.npy"), "-o", dir.File("npy.tsv")).AssertSucceeded();
        Assert.Equal(RangeTable.Load(dir.File("image.tsv")).Entries, RangeTable.Load(dir.File("npy.tsv")).Entries);
    }

    [Fact]
    public void Samples_option_takes_files_spread_over_the_list()
    {
        using var dir = new TempDirectory();
        var json = CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, "--samples", "2", "-o", dir.File("r.tsv"), "--json").Json();
        Assert.Equal([Path.Combine(Samples, "checkerboard.png"), Path.Combine(Samples, "disc.png")], json["files"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(3, (int)json["filesFound"]!);
        Assert.Equal(2, RangeTable.Load(dir.File("r.tsv")).Samples);
    }

    [Fact]
    public void Preprocessing_options_change_what_the_input_sees()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, "-m", "minmax", "--mean", "0.5", "--std", "0.25", "-o", dir.File("r.tsv")).AssertSucceeded();
        var input = RangeTable.Load(dir.File("r.tsv")).Entries.Single(e => e.Tensor == "input");
        // (x/255 − 0.5) / 0.25 spans about [−2, 2] for images with black and near-white pixels.
        Assert.InRange(input.ObservedMin, -2.0001f, -1.9f);
        Assert.InRange(input.ObservedMax, 1.8f, 2.0001f);
    }

    [Theory]
    [InlineData("--method", "kl", "unknown calibration method 'kl'")]
    [InlineData("--method", "percentile:20", "must be a number in [50, 100]")]
    [InlineData("--samples", "0", "--samples 0: must be at least 1")]
    [InlineData("--size", "3x", "--size '3x'")]
    public void Usage_errors_exit_with_2(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, option, value, "-o", dir.File("r.tsv")).AssertFailed(2, message);
        Assert.False(File.Exists(dir.File("r.tsv")));
    }

    [Fact]
    public void Output_is_required_and_compiled_models_are_refused()
    {
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples).AssertFailed(2, "--output");
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("m.ecnn"), [0]);
        CliRun.Invoke("calibrate", dir.File("m.ecnn"), "-c", Samples, "-o", dir.File("r.tsv")).AssertFailed(2, "calibrate reads an .onnx model");
    }

    [Fact]
    public void Bad_calibration_files_exit_with_1_naming_the_file()
    {
        using var dir = new TempDirectory();
        string output = dir.File("r.tsv");
        CliRun.Invoke("calibrate", OnnxPath, "-c", dir.File("missing"), "-o", output).AssertFailed(1, "no such file or directory");
        Directory.CreateDirectory(dir.File("empty"));
        CliRun.Invoke("calibrate", OnnxPath, "-c", dir.File("empty"), "-o", output).AssertFailed(1, "holds no calibration files");
        NpyFile.Write(dir.File("wrong.npy"), Compiler.Ir.TensorData.FromFloats([1, 3, 8, 8], new float[192]));
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, dir.File("wrong.npy"), "-o", output).AssertFailed(1, "wrong.npy");
        File.WriteAllBytes(dir.File("broken.png"), [1, 2, 3]);
        CliRun.Invoke("calibrate", OnnxPath, "-c", dir.File("broken.png"), "-o", output).AssertFailed(1, "broken.png");
        CliRun.Invoke("calibrate", OnnxPath, "-c", Samples, "--size", "16x16", "-o", output).AssertFailed(1, "preprocessing makes [1,3,16,16] tensors");
        var nan = new float[3 * 32 * 32];
        nan[5] = float.NaN;
        NpyFile.Write(dir.File("nan.npy"), Compiler.Ir.TensorData.FromFloats([1, 3, 32, 32], nan));
        CliRun.Invoke("calibrate", OnnxPath, "-c", dir.File("nan.npy"), "-o", output).AssertFailed(1, "nan.npy'");
        Assert.False(File.Exists(output));
    }
}
