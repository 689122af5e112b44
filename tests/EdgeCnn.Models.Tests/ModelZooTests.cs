using EdgeCnn.Models.Zoo;

namespace EdgeCnn.Models.Tests;

public sealed class ModelZooTests
{
    [Fact]
    public void Registry_has_every_architecture_of_the_issue_once()
    {
        string[] expected =
        [
            "lenet5", "alexnet", "vgg11", "vgg16", "nin", "googlenet", "resnet18", "resnet50", "densenet121",
            "mobilenet-v1", "mobilenet-v2", "mobilenet-v3-small", "shufflenet-v1", "shufflenet-v2",
            "se-resnet20", "dilated-hdc", "factorized",
        ];
        Assert.Equal(expected, ModelZoo.Names);
        Assert.All(ModelZoo.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
    }

    [Fact]
    public void Find_ignores_case_and_returns_null_for_unknown_names()
    {
        Assert.Same(ModelZoo.Find("resnet18"), ModelZoo.Find("ResNet18"));
        Assert.Null(ModelZoo.Find("resnet19"));
    }

    [Fact]
    public void Same_configuration_gives_the_same_bytes_and_another_seed_other_weights()
    {
        var entry = ModelZoo.Find("mobilenet-v2")!;
        var config = entry.Defaults with { Width = 0.35, Resolution = 64, Classes = 10 };
        var a = entry.Build(config);
        var b = entry.Build(config);
        var c = entry.Build(config with { Seed = config.Seed + 1 });
        Assert.Equal(a.Onnx, b.Onnx);
        Assert.Equal(a.Onnx.Length, c.Onnx.Length); // same graph and tensor sizes...
        Assert.NotEqual(a.Onnx, c.Onnx);            // ...other weights
    }

    [Fact]
    public void Standard_configurations_have_the_documented_inputs_and_outputs()
    {
        var lenet = ModelZoo.Find("lenet5")!.Build();
        Assert.Equal([1, 1, 32, 32], lenet.InputShape);
        Assert.Equal([1, 10], lenet.OutputShape);
        var hdc = ModelZoo.Find("dilated-hdc")!.Build();
        Assert.Equal([1, 3, 256, 256], hdc.InputShape);
        Assert.Equal([1, 21, 32, 32], hdc.OutputShape); // per-pixel scores at 1/8 resolution
        var se = ModelZoo.Find("se-resnet20")!.Build(new ZooConfig(Width: 1, Resolution: 40, Classes: 7));
        Assert.Equal([1, 3, 40, 40], se.InputShape);
        Assert.Equal([1, 7], se.OutputShape);
    }

    [Theory]
    [InlineData(0.0, 224, 1000, "width 0")]
    [InlineData(-1.0, 224, 1000, "width -1")]
    [InlineData(double.NaN, 224, 1000, "width NaN")]
    [InlineData(5.0, 224, 1000, "width 5")]
    [InlineData(1.0, 0, 1000, "resolution 0")]
    [InlineData(1.0, 224, 0, "classes 0")]
    public void Out_of_range_configuration_is_rejected_by_name(double width, int resolution, int classes, string fragment)
    {
        var ex = Assert.Throws<ModelConfigException>(() => ModelZoo.Find("resnet18")!.Build(new ZooConfig(width, resolution, classes)));
        Assert.StartsWith("resnet18: ", ex.Message);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Resolution_too_small_for_the_architecture_names_the_layer()
    {
        var ex = Assert.Throws<ModelConfigException>(() => ModelZoo.Find("alexnet")!.Build(new ZooConfig(1, 32, 10)));
        Assert.Contains("resolution 32 is too small", ex.Message);
        Assert.Contains("'pool5'", ex.Message);
        // LeNet-5's C5 needs the 5×5 maps a 32×32 input leaves after two pools.
        ex = Assert.Throws<ModelConfigException>(() => ModelZoo.Find("lenet5")!.Build(new ZooConfig(1, 28, 10)));
        Assert.Contains("'c5'", ex.Message);
    }

    [Theory]
    // Published channel counts of width-scaled MobileNets: MobileNetV2-0.35's stem has 16 channels and its
    // 24-channel stage 8; MobileNetV2-1.4's last convolution has 1792; MobileNetV3-Small-0.75's stem 16.
    [InlineData(32 * 0.35, 16)]
    [InlineData(24 * 0.35, 8)]
    [InlineData(1280 * 1.4, 1792)]
    [InlineData(16 * 0.75, 16)]
    public void MakeDivisible_gives_the_published_channel_counts(double exact, int expected) =>
        Assert.Equal(expected, Channels.MakeDivisible(exact));

    [Fact]
    public void A_name_used_twice_is_a_builder_bug()
    {
        var net = new NetBuilder("test", new ZooConfig(1, 8, 2));
        var x = net.Input(3);
        net.Conv("conv", x, 4, 3);
        Assert.Throws<InvalidOperationException>(() => net.Conv("conv", x, 4, 3));
    }
}
