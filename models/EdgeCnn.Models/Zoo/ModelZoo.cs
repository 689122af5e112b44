using EdgeCnn.Models.Zoo.Architectures;

namespace EdgeCnn.Models.Zoo;

/// <summary>The architectures EdgeCnn can generate as ONNX models with seeded random weights (for tests,
/// benchmarks and inspecting costs; none is trained).</summary>
public static class ModelZoo
{
    public static IReadOnlyList<ZooEntry> Entries { get; } =
    [
        new("lenet5", "LeNet-5: 5x5 conv/avg-pool pairs and tanh, 32x32 grayscale (1998)", LeNet5.Defaults, LeNet5.Build),
        new("alexnet", "AlexNet: 11x11/4 stem, two-tower grouped convs, LRN, overlapping 3x3/2 max pool (2012)", AlexNet.Defaults, AlexNet.Build),
        new("vgg11", "VGG-11 (config A): 3x3 conv stacks and 2x2 max pools, three FC layers (2014)", Vgg.Defaults, Vgg.Build11),
        new("vgg16", "VGG-16 (config D): 3x3 conv stacks and 2x2 max pools, three FC layers (2014)", Vgg.Defaults, Vgg.Build16),
        new("nin", "Network in Network: 1x1 mlpconv blocks, global average pooling head, no FC (2013)", NiN.Defaults, NiN.Build),
        new("googlenet", "GoogLeNet / Inception v1: four-branch Inception modules, no auxiliary heads (2014)", GoogLeNet.Defaults, GoogLeNet.Build),
        new("resnet18", "ResNet-18: basic residual blocks, 1x1 projection shortcuts (2015)", ResNet.Defaults, ResNet.Build18),
        new("resnet50", "ResNet-50: bottleneck residual blocks, 1x1 projection shortcuts (2015)", ResNet.Defaults, ResNet.Build50),
        new("densenet121", "DenseNet-121: dense blocks with growth rate 32, 1x1 conv + 2x2 avg-pool transitions (2016)", DenseNet121.Defaults, DenseNet121.Build),
        new("mobilenet-v1", "MobileNetV1: depthwise separable convolutions (2017)", MobileNetV1.Defaults, MobileNetV1.Build),
        new("mobilenet-v2", "MobileNetV2: inverted residuals, linear bottlenecks, ReLU6 (2018)", MobileNetV2.Defaults, MobileNetV2.Build),
        new("mobilenet-v3-small", "MobileNetV3-Small: SE blocks with hard-sigmoid, hard-swish (2019)", MobileNetV3Small.Defaults, MobileNetV3Small.Build),
        new("shufflenet-v1", "ShuffleNet v1, g=3: grouped 1x1 convs and channel shuffle (2017)", ShuffleNetV1.Defaults, ShuffleNetV1.Build),
        new("shufflenet-v2", "ShuffleNet v2: channel split and channel shuffle (2018)", ShuffleNetV2.Defaults, ShuffleNetV2.Build),
        new("se-resnet20", "SE-ResNet-20: CIFAR ResNet-20 with squeeze-and-excitation gates (2017)", SeResNet20.Defaults, SeResNet20.Build),
        new("dilated-hdc", "Dilated segmentation stack with hybrid dilation rates 1, 2, 5; per-pixel class scores (2018)", DilatedHdcNet.Defaults, DilatedHdcNet.Build),
        new("factorized", "Factorized convolutions: 7x7 as 1x7 + 7x1 in Inception-style residual blocks (2015)", FactorizedNet.Defaults, FactorizedNet.Build),
    ];

    /// <summary>The entry called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ZooEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<string> Names => Entries.Select(e => e.Name);
}
