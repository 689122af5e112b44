using System.Globalization;
using EdgeCnn.Models.Tests.Support;
using EdgeCnn.Models.Zoo;

namespace EdgeCnn.Models.Tests;

/// <summary>
/// The zoo's standard configurations reproduce the parameter and MAC counts their papers (or the reference
/// implementations' documentation) publish, within 2%, measured by <c>ModelAnalyzer</c> — analysis only,
/// nothing runs. Conventions, applied the same way to every row:
/// <list type="bullet">
/// <item>Params: every constant the compiled ops read, compiled with the optional passes off. Each
/// BatchNormalization then becomes a per-channel scale and shift — two numbers per channel, exactly as many
/// as its trainable γ and β, with the running mean and variance merged into them — so the count is the
/// trainable-parameter count PyTorch and Keras report (weights, biases, γ, β). With the passes on, BN folds
/// into the convolution's bias: one number per channel instead of two (checked exactly below).</item>
/// <item>MACs: multiply-accumulates of convolutions and fully connected layers, the classifier included;
/// pooling, normalization, activations and element-wise ops count zero. This is what the papers call
/// "mult-adds" (MobileNet) or "FLOPs" (ResNet, ShuffleNet) and what torchvision's GFLOPS column counts.</item>
/// </list>
/// Where a published figure uses another convention the row says so and the expected value is converted
/// explicitly; no tolerance is widened.
/// </summary>
public sealed class PublishedFiguresTests
{
    private const double Tolerance = 0.02;

    /// <summary>A published figure: the configuration, params and MACs (null where the source gives none),
    /// an exact parameter count where a reference implementation documents one, and where they come from.</summary>
    public sealed record Figure(string Model, double Width, int Resolution, double? Params, double? Macs, long? ExactParams, string Source)
    {
        public override string ToString() => $"{Model}-{Width.ToString(CultureInfo.InvariantCulture)}-{Resolution}";
    }

    public static readonly Figure[] Figures =
    [
        new("mobilenet-v1", 1.0, 224, 4.2e6, 569e6, null, "Howard et al. 2017, Table 8 (1.0 MobileNet-224)"),
        // Params not checked here: Table 6 prints 1.3M with two digits (±3.8%), and the measured 1,331,592 (+2.4%;
        // 1,320,648 without BN's γ and β) rounds to it but is no 2% match.
        new("mobilenet-v1", 0.5, 224, null, 149e6, null, "Howard et al. 2017, Table 6 (width multiplier 0.5)"),
        new("mobilenet-v1", 1.0, 128, 4.2e6, 186e6, null, "Howard et al. 2017, Table 7 (resolution 128)"),
        // The paper's Table 4 prints 3.4M, a truncation: the architecture's convolution and FC weights alone
        // are 3,470,760 (+2.1% over 3.4M), with BN's γ and β 3,504,872 (+3.1%). The authors' TF-slim table gives 3.47M.
        new("mobilenet-v2", 1.0, 224, 3.47e6, 300e6, 3_504_872, "TF-slim mobilenet_v2 table (paper: 3.4M, 300M); torchvision mobilenet_v2"),
        // TF-slim classifies 1001 classes: 1,281 more parameters than our 1000 (0.02%).
        new("mobilenet-v2", 1.4, 224, 6.06e6, 582e6, null, "TF-slim mobilenet_v2 table (mobilenet_v2_1.4_224)"),
        // The builder writes hard-swish as x·Clip(x+3,0,6)/6 inside the bottlenecks; unfused (passes off), each of
        // the 16 patterns reads two scalar constants (3 and 6), which the analyzer counts: 32 over torchvision.
        new("mobilenet-v3-small", 1.0, 224, 2.5e6, 56e6, 2_542_856 + 32, "Howard et al. 2019, Table 3; torchvision mobilenet_v3_small"),
        new("shufflenet-v1", 1.0, 224, null, 140e6, null, "Zhang et al. 2017, Table 2 (ShuffleNet 1x, g = 3)"),
        new("shufflenet-v2", 1.0, 224, 2.3e6, 146e6, 2_278_604, "Ma et al. 2018, Table 5 (ShuffleNet v2 1x); torchvision shufflenet_v2_x1_0"),
        new("resnet18", 1.0, 224, 11.7e6, 1.8e9, 11_689_512, "He et al. 2015, Table 1; torchvision resnet18"),
        // The paper's 3.8G strides in the bottleneck's first 1×1; torchvision (and the zoo) in its 3×3: 4.09G.
        new("resnet50", 1.0, 224, 25.6e6, 4.1e9, 25_557_032, "torchvision resnet50 (v1.5); He et al. 2015"),
        new("vgg16", 1.0, 224, 138e6, 15.5e9, 138_357_544, "Simonyan and Zisserman 2014, Table 2; torchvision vgg16"),
        // Two-tower AlexNet as one graph with group-2 convolutions: Caffe's bvlc_alexnet has exactly this count.
        new("alexnet", 1.0, 224, 61e6, 0.72e9, 60_965_224, "Krizhevsky et al. 2012; Caffe bvlc_alexnet"),
        new("densenet121", 1.0, 224, 7.98e6, 2.83e9, 7_978_856, "torchvision densenet121 (8.0M in Huang et al. 2016)"),
        new("googlenet", 1.0, 224, GoogLeNetParams(), GoogLeNetMacs(), null, "Szegedy et al. 2014, Table 1 (6.8M, 1.5G; see GoogLeNetMacs)"),
    ];

    public static TheoryData<Figure> Cases() => new(Figures);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyzer_reproduces_the_published_figures(Figure figure)
    {
        var entry = ModelZoo.Find(figure.Model)!;
        var config = entry.Defaults with { Width = figure.Width, Resolution = figure.Resolution };
        var stats = ZooCompiler.Analyze(entry.Build(config), optimize: false);

        if (figure.Params is { } p) AssertWithin(figure, "params", stats.Params, p);
        if (figure.Macs is { } m) AssertWithin(figure, "MACs", stats.Macs, m);
        if (figure.ExactParams is { } exact) Assert.Equal(exact, stats.Params);
    }

    [Fact]
    public void LeNet5_matches_the_layer_by_layer_count()
    {
        // C1 5×5×1→6, C3 5×5×6→16 (fully connected to S2), C5 5×5×16→120, F6 120→84, output 84→10, all with bias.
        long parameters = (25 * 1 * 6 + 6) + (25 * 6 * 16 + 16) + (25 * 16 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
        // Output positions × window: C1 28×28, C3 10×10, C5 1×1, then the two fully connected layers.
        long macs = 28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 120 * 400 + 120 * 84 + 84 * 10;
        var stats = ZooCompiler.Analyze(ModelZoo.Find("lenet5")!.Build(), optimize: false);
        Assert.Equal(61_706, parameters);
        Assert.Equal(parameters, stats.Params);
        Assert.Equal(macs, stats.Macs);
    }

    [Fact]
    public void Folding_batch_normalization_leaves_one_number_per_channel()
    {
        // ResNet-18: every BN follows a convolution, so optimizing turns γ, β (2 per channel) into a conv bias (1).
        var entry = ModelZoo.Find("resnet18")!;
        var model = entry.Build(entry.Defaults with { Width = 0.25, Resolution = 64 });
        var graph = EdgeCnn.Compiler.Onnx.OnnxImporter.Load(model.Onnx, "resnet18.onnx", new EdgeCnn.Compiler.ImportOptions());
        long bnChannels = graph.Nodes.Where(n => n.OpType == "BatchNormalization").Sum(n => (long)n.Inputs[1]!.Shape![0]);
        Assert.True(bnChannels > 0);
        var plain = ZooCompiler.Analyze(model, optimize: false);
        var folded = ZooCompiler.Analyze(model, optimize: true);
        Assert.Equal(plain.Params - bnChannels, folded.Params);
        Assert.Equal(plain.Macs, folded.Macs);
    }

    /// <summary>Table 1 of the GoogLeNet paper counts parameters in units of 1024 — its rows for conv2 (112K =
    /// 114,688 = 1·1·64·64 + 3·3·64·192), inception 3a (159K = 163,328) and the classifier (1000K = 1024·1000)
    /// are exact in those units — and 6.8M is the column's sum. In plain parameters that is 6.8M·1.024.</summary>
    private static double GoogLeNetParams() => 6.8e6 * 1.024;

    /// <summary>Table 1's ops column sums to 1.5G, but its first row (2.7K params, 34M ops) is not a 7×7
    /// convolution from 3 input channels to 64 at 112×112, which takes 7·7·3·64·112·112 = 118,013,952 MACs; every
    /// other row matches the layer it names (conv2 360M, 3a 128M, 3b 304M, ...). The expected value replaces
    /// that row. (Against the printed 1.5G the measured count is +5.5%.)</summary>
    private static double GoogLeNetMacs() => 1.5e9 - 34e6 + 7.0 * 7 * 3 * 64 * 112 * 112;

    private static void AssertWithin(Figure figure, string what, long measured, double published)
    {
        double relative = (measured - published) / published;
        Assert.True(Math.Abs(relative) <= Tolerance, string.Create(CultureInfo.InvariantCulture,
            $"{figure} {what}: measured {measured:N0}, published {published:N0} ({figure.Source}): {relative:+0.00%;-0.00%} exceeds ±{Tolerance:0%}"));
    }
}
