using System.Text;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler;
using EdgeCnn.Models;
using EdgeCnn.Runtime;
using StbImageSharp;

namespace EdgeCnn.Cli.Tests.Models;

/// <summary>The trained Fashion-MNIST model in models/fashion-mnist (provenance in models/README.md).</summary>
public class FashionMnistModelTests
{
    /// <summary>Top-1 of the EdgeCnn runtime on the 10,000 test images, as models/README.md states it.</summary>
    private const double DocumentedTop1 = 0.9228;

    private static string ModelDirectory => Path.Combine(RepositoryPaths.Root, "models", "fashion-mnist");
    private static string OnnxPath => Path.Combine(ModelDirectory, FashionMnistModelFiles.OnnxFileName);

    [Fact]
    public void Model_reaches_its_documented_top1_on_the_10000_test_images()
    {
        var test = TestSet();
        var session = new Session(ModelCompiler.Compile(OnnxPath));
        var input = new float[FashionMnist.PixelsPerImage];
        var logits = new float[FashionMnist.Labels.Length];
        int correct = 0;
        for (int n = 0; n < test.Count; n++)
        {
            var image = test.Image(n);
            for (int i = 0; i < input.Length; i++) input[i] = image[i] / 255f;
            session.Run(input, logits);
            int best = 0;
            for (int c = 1; c < logits.Length; c++)
                if (logits[c] > logits[best]) best = c;
            if (best == test.Classes[n]) correct++;
        }
        double top1 = (double)correct / test.Count;
        Assert.Equal(10_000, test.Count);
        Assert.True(top1 >= 0.90, $"top-1 {top1:P2} is below 90%");
        Assert.True(Math.Abs(top1 - DocumentedTop1) <= 0.001, $"top-1 {top1:P2} ({correct} correct) differs from the documented {DocumentedTop1:P2} by more than 0.1%");
    }

    [Fact]
    public void Each_sample_image_is_the_first_test_image_of_its_class()
    {
        var test = TestSet();
        for (int c = 0; c < FashionMnist.Labels.Length; c++)
        {
            string path = Path.Combine(ModelDirectory, FashionMnistModelFiles.SamplesFolder, FashionMnistModelFiles.SampleFileName(c));
            Assert.True(File.Exists(path), $"{path} is missing");
            var decoded = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.Grey);
            Assert.Equal((FashionMnist.Width, FashionMnist.Height), (decoded.Width, decoded.Height));
            int index = Array.IndexOf(test.Classes, (byte)c);
            Assert.True(test.Image(index).SequenceEqual(decoded.Data), $"{path} is not test image {index}");
        }
    }

    [Fact]
    public void Labels_file_lists_the_classes_in_label_order() =>
        Assert.Equal(string.Join('\n', FashionMnist.Labels) + "\n", File.ReadAllText(Path.Combine(ModelDirectory, FashionMnistModelFiles.LabelsFileName), Encoding.UTF8));

    [Fact]
    public void Model_has_the_documented_interface_and_unfolded_batch_norms()
    {
        var graph = ModelCompiler.Import(OnnxPath);
        Assert.Equal(13, graph.Opset);
        var input = Assert.Single(graph.Inputs);
        Assert.Equal("input", input.Name);
        Assert.Equal([1, 1, 28, 28], input.Shape);
        var output = Assert.Single(graph.Outputs);
        Assert.Equal("logits", output.Name);
        Assert.Equal([1, 10], output.Shape);
        // One Conv-BN-ReLU6 unit for the stem and two per depthwise-separable block, BN kept as its own node.
        Assert.Equal(11, graph.Nodes.Count(n => n.Is("Conv")));
        Assert.Equal(11, graph.Nodes.Count(n => n.Is("BatchNormalization")));
        Assert.Equal(11, graph.Nodes.Count(n => n.Is("Clip")));
        Assert.Equal(5, graph.Nodes.Count(n => n.Is("Conv") && n.GetInt("group", 1) > 1));
    }

    /// <summary>The test split from the Debian package dataset-fashion-mnist (scripts/fetch-test-data.sh installs it);
    /// EDGECNN_FASHION_MNIST may point elsewhere. Missing data fails on CI and skips, loudly, elsewhere.</summary>
    private static FashionMnist.Split TestSet()
    {
        string directory = Environment.GetEnvironmentVariable("EDGECNN_FASHION_MNIST") is { Length: > 0 } configured ? configured : FashionMnist.DebianDirectory;
        if (File.Exists(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"))) return FashionMnist.Test(directory);
        string message = $"Fashion-MNIST test set not found in {directory}; install the Debian package dataset-fashion-mnist (scripts/fetch-test-data.sh does) or set EDGECNN_FASHION_MNIST";
        if (Environment.GetEnvironmentVariable("CI") is { } ci && (ci == "1" || ci.Equals("true", StringComparison.OrdinalIgnoreCase)))
            Assert.Fail(message);
        Assert.Skip(message);
        throw new InvalidOperationException(message);
    }
}
