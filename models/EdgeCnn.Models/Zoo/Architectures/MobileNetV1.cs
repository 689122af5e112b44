namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// MobileNetV1 (Howard et al., 2017), the paper's Table 1: a 3×3/2 convolution, thirteen depthwise
/// separable blocks (3×3 depthwise + 1×1 pointwise, each followed by batch normalization and ReLU), global
/// average pooling and a fully connected classifier. The width multiplier α scales every layer's channels
/// (at least 8, truncated, as TF-slim's depth_multiplier does).
/// </summary>
public static class MobileNetV1
{
    /// <summary>(output channels, stride) of the depthwise separable blocks.</summary>
    private static readonly (int Channels, int Stride)[] Blocks =
    [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    ];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("mobilenet-v1", config);
        int C(int channels) => Math.Max(8, (int)(channels * config.Width));
        var x = net.Input(3);
        x = net.ConvBnAct("conv0", x, C(32), 3, stride: 2);
        for (int i = 0; i < Blocks.Length; i++)
        {
            var (channels, stride) = Blocks[i];
            x = net.ConvBnAct($"block{i + 1}.dw", x, x.Channels, 3, stride, group: x.Channels);
            x = net.ConvBnAct($"block{i + 1}.pw", x, C(channels), 1);
        }
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }
}
