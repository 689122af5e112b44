using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Datasets;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn quantize --int8-input</c> on the default model (its in-graph normalization runs int8, the input
/// takes codes), and <c>run</c>/<c>eval</c> feeding that input through the fused image path: the same scores as
/// the float preprocessing handed to the session, which quantizes it.</summary>
public sealed class Int8InputTests
{
    private static readonly ImagePreprocessing Gray28 = new() { Height = 28, Width = 28, Channels = 1 };

    private static string QuantizeFused(TempDirectory dir, out System.Text.Json.Nodes.JsonNode json)
    {
        string target = dir.File("fm-int8-input.ecnn");
        json = CliRun.Invoke("quantize", "--calibration", DefaultModelAgreement.Samples, "-o", target, "--int8-input", "--json").Json();
        return target;
    }

    [Fact]
    public void Quantize_makes_the_default_models_input_int8_and_keeps_its_answers()
    {
        using var dir = new TempDirectory();
        string target = QuantizeFused(dir, out var json);

        var inputs = json["int8Inputs"]!.AsArray();
        Assert.Single(inputs);
        Assert.Equal("input", (string)inputs[0]!["name"]!);
        Assert.Equal(0, (int)json["nodes"]!["quantize"]!);
        Assert.Equal(0, (int)json["nodes"]!["float"]!);
        var model = ModelReader.Load(target);
        var input = model.InputInfo(0);
        Assert.Equal((DataType.Int8, "input"), (input.Type, input.Name));
        Assert.Equal([1, 1, 28, 28], input.Shape);
        Assert.DoesNotContain(model.Ops, op => op.Code == OpCode.Quantize);
        // Session.Run quantizes the float images into the Int8 input.
        DefaultModelAgreement.AssertSameTop1AsFloat(model);
    }

    [Fact]
    public void Run_on_an_image_gives_the_scores_of_the_float_preprocessing()
    {
        using var dir = new TempDirectory();
        string target = QuantizeFused(dir, out _);
        string image = Directory.GetFiles(DefaultModelAgreement.Samples, "*.png").Order(StringComparer.Ordinal).First();

        var json = CliRun.Invoke("run", target, "--input", image, "--top", "10", "--json").Json();

        var session = new Session(ModelReader.Load(target));
        var expected = new float[10];
        session.Run(ImageTensor.Load(image, Gray28).AsFloats(), expected);
        AssertScores(expected, json);

        // A float tensor file for the Int8 input is quantized by the session: the same scores again.
        string npy = dir.File("sample.npy");
        NpyFile.Write(npy, ImageTensor.Load(image, Gray28));
        AssertScores(expected, CliRun.Invoke("run", target, "--input", npy, "--top", "10", "--json").Json());
    }

    private static void AssertScores(float[] expected, System.Text.Json.Nodes.JsonNode json)
    {
        var top = json["results"]![0]!["top"]!.AsArray();
        Assert.Equal(10, top.Count);
        foreach (var entry in top)
            Assert.Equal(expected[(int)entry!["index"]!], (float)entry["score"]!);
    }

    [Fact]
    public void Eval_through_the_fused_path_counts_what_the_float_path_counts()
    {
        using var dir = new TempDirectory();
        string target = QuantizeFused(dir, out _);
        // The ten samples and thirty noisy variants of them, labelled from the sample file names.
        var samples = Directory.GetFiles(DefaultModelAgreement.Samples, "*.png").Order(StringComparer.Ordinal).ToArray();
        var rng = new Random(3);
        var pixels = new List<byte>();
        var labels = new List<byte>();
        for (int i = 0; i < 40; i++)
        {
            var decoded = ImageTensor.Read(samples[i % samples.Length]);
            Assert.Equal((28, 28, 1), (decoded.Height, decoded.Width, decoded.Channels));
            pixels.AddRange(decoded.Pixels.Select(p => i < samples.Length ? p : (byte)Math.Clamp(p + rng.Next(-90, 91), 0, 255)));
            labels.Add((byte)SampleRunTrueClass(samples[i % samples.Length]));
        }
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), IdxFileTests.Gzip(IdxFileTests.Idx([40, 28, 28], pixels.ToArray())));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), IdxFileTests.Gzip(IdxFileTests.Idx([40], labels.ToArray())));

        var json = CliRun.Invoke("eval", target, "--data", dir.File("t10k-images-idx3-ubyte.gz"), "--json").Json();

        var session = new Session(ModelReader.Load(target));
        var scores = new float[10];
        int correct = 0;
        for (int i = 0; i < 40; i++)
        {
            var image = new PixelImage(28, 28, 1, pixels.Skip(i * 784).Take(784).ToArray());
            session.Run(ImagePreprocessor.Run(image, Gray28), scores);
            if (Array.IndexOf(scores, scores.Max()) == labels[i]) correct++;
        }
        Assert.Equal(40, (int)json["count"]!);
        Assert.Equal(correct, (int)json["top1"]!["correct"]!);
        Assert.True(correct >= 5, $"only {correct} of 40 right: the model or the data set is broken");
    }

    [Fact]
    public void Int8_input_cannot_be_exported_as_qdq()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Invoke("quantize", "--calibration", DefaultModelAgreement.Samples, "-o", dir.File("m.ecnn"), "--int8-input",
            "--emit-qdq", dir.File("m.onnx"));
        run.AssertFailed(2, "--int8-input");
        Assert.False(File.Exists(dir.File("m.ecnn")));
    }

    private static int SampleRunTrueClass(string file) =>
        int.Parse(Path.GetFileName(file).Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
}
