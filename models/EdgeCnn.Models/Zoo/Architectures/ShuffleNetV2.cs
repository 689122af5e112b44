namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// ShuffleNet v2 (Ma et al., 2018) as torchvision defines it: 3×3/2 convolution (24), 3×3/2 max pooling,
/// three stages of 4, 8 and 4 units, a 1×1 convolution (1024), spatial mean (exported as ReduceMean) and a
/// linear classifier. A stride-1 unit splits the channels in halves, passes one half through
/// 1×1 (BN, ReLU) → 3×3 depthwise (BN) → 1×1 (BN, ReLU) and concatenates it back to the other; a stride-2
/// unit feeds the whole input to that branch and to a 3×3/2 depthwise (BN) → 1×1 (BN, ReLU) branch. Every
/// unit ends with a channel shuffle of 2 groups (Reshape-Transpose-Reshape).
/// Widths 0.5, 1, 1.5 and 2 use the paper's Table 5 channels; other widths scale the 1× channels (even).
/// </summary>
public static class ShuffleNetV2
{
    private static readonly int[] Repeats = [4, 8, 4];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("shufflenet-v2", config);
        var (stages, last) = StageChannels(config.Width);
        var x = net.Input(3);
        x = net.ConvBnAct("conv1", x, 24, 3, stride: 2);
        x = net.MaxPool("maxpool", x, 3, 2, pad: 1);
        for (int stage = 0; stage < Repeats.Length; stage++)
            for (int u = 0; u < Repeats[stage]; u++)
                x = Unit(net, $"stage{stage + 2}.{u}", x, stages[stage], u == 0 ? 2 : 1);
        x = net.ConvBnAct("conv5", x, last, 1);
        var pooled = net.SpatialMean("pool", x);
        return net.Finish(net.Linear("logits", pooled, config.Classes));
    }

    private static (int[] Stages, int Last) StageChannels(double width) => width switch
    {
        0.5 => ([48, 96, 192], 1024),
        1.0 => ([116, 232, 464], 1024),
        1.5 => ([176, 352, 704], 1024),
        2.0 => ([244, 488, 976], 2048),
        _ => ([Channels.Scale(116, width, 2), Channels.Scale(232, width, 2), Channels.Scale(464, width, 2)], width > 1.5 ? 2048 : 1024),
    };

    private static FeatureMap Unit(NetBuilder net, string n, FeatureMap x, int channels, int stride)
    {
        int half = channels / 2;
        FeatureMap kept, branchInput;
        if (stride == 1)
        {
            var parts = net.Split($"{n}.split", x, x.Channels / 2, x.Channels - x.Channels / 2);
            (kept, branchInput) = (parts[0], parts[1]);
        }
        else
        {
            kept = net.ConvBnAct($"{n}.branch1.dw", x, x.Channels, 3, stride, Act.None, group: x.Channels);
            kept = net.ConvBnAct($"{n}.branch1.pw", kept, half, 1);
            branchInput = x;
        }
        var y = net.ConvBnAct($"{n}.branch2.pw1", branchInput, half, 1);
        y = net.ConvBnAct($"{n}.branch2.dw", y, half, 3, stride, Act.None, group: half);
        y = net.ConvBnAct($"{n}.branch2.pw2", y, half, 1);
        return net.ChannelShuffle($"{n}.shuffle", net.Concat($"{n}.concat", kept, y), 2);
    }
}
