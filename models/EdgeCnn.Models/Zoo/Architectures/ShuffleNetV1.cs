namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// ShuffleNet v1 (Zhang et al., 2017) with g = 3 groups, the paper's Table 1: 3×3/2 convolution (24),
/// 3×3/2 max pooling, three stages of 4, 8 and 4 units (240, 480, 960 channels at 1×), global average
/// pooling and a linear classifier. A unit is grouped 1×1 conv (BN, ReLU) → channel shuffle → 3×3 depthwise
/// (BN) → grouped 1×1 conv (BN), a quarter of the output channels wide; stride-1 units add the input,
/// stride-2 units concatenate a 3×3/2 average pool of it; ReLU after the merge. The first unit's first 1×1
/// is not grouped (its 24 input channels are too few). The shuffle is Reshape-Transpose-Reshape.
/// </summary>
public static class ShuffleNetV1
{
    public const int Groups = 3;
    private static readonly int[] Repeats = [4, 8, 4];
    private static readonly int[] StageChannels = [240, 480, 960];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("shufflenet-v1", config);
        const int g = Groups;
        var x = net.Input(3);
        // Multiples of g keep the stride-2 branch (stage − input channels) groupable; multiples of 4g the bottleneck.
        x = net.ConvBnAct("conv1", x, Channels.Scale(24, config.Width, g), 3, stride: 2);
        x = net.MaxPool("maxpool", x, 3, 2, pad: 1);
        for (int stage = 0; stage < Repeats.Length; stage++)
        {
            int channels = Channels.Scale(StageChannels[stage], config.Width, 4 * g);
            for (int u = 0; u < Repeats[stage]; u++)
                x = Unit(net, $"stage{stage + 2}.{u}", x, channels, u == 0 ? 2 : 1, firstGrouped: stage > 0 || u > 0);
        }
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap Unit(NetBuilder net, string n, FeatureMap x, int channels, int stride, bool firstGrouped)
    {
        const int g = Groups;
        int mid = channels / 4;
        int branch = stride == 2 ? channels - x.Channels : channels;
        var y = net.ConvBnAct($"{n}.gconv1", x, mid, 1, group: firstGrouped ? g : 1);
        y = net.ChannelShuffle($"{n}.shuffle", y, g);
        y = net.ConvBnAct($"{n}.dw", y, mid, 3, stride, Act.None, group: mid);
        y = net.ConvBnAct($"{n}.gconv2", y, branch, 1, act: Act.None, group: g);
        var merged = stride == 2
            ? net.Concat($"{n}.concat", net.AveragePool($"{n}.shortcut", x, 3, 2, pad: 1, countPad: true), y)
            : net.Add($"{n}.add", y, x);
        return net.Relu(merged);
    }
}
