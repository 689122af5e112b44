namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// ResNet (He et al., 2015) as torchvision defines it: 7×7/2 stem with batch normalization and ReLU, 3×3/2
/// max pooling, four stages (64, 128, 256, 512 planes) of basic blocks (ResNet-18: 2-2-2-2) or bottleneck
/// blocks with expansion 4 (ResNet-50: 3-4-6-3), a 1×1 projection shortcut (conv + BN) wherever the shape
/// changes, global average pooling and a linear classifier. ResNet-50 strides in the bottleneck's 3×3
/// convolution ("v1.5", torchvision's choice), not in its first 1×1 as the paper did: same parameters,
/// 4.09G instead of 3.86G MACs.
/// </summary>
public static class ResNet
{
    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build18(ZooConfig config) => Build("resnet18", [2, 2, 2, 2], bottleneck: false, config);

    public static ZooModel Build50(ZooConfig config) => Build("resnet50", [3, 4, 6, 3], bottleneck: true, config);

    private static ZooModel Build(string name, int[] blocks, bool bottleneck, ZooConfig config)
    {
        var net = new NetBuilder(name, config);
        var x = net.Input(3);
        x = net.ConvBnAct("stem", x, Channels.Scale(64, config.Width), 7, stride: 2);
        x = net.MaxPool("maxpool", x, 3, 2, pad: 1);
        for (int stage = 0; stage < blocks.Length; stage++)
        {
            int planes = Channels.Scale(64 << stage, config.Width);
            for (int b = 0; b < blocks[stage]; b++)
            {
                string n = $"layer{stage + 1}.{b}";
                int stride = stage > 0 && b == 0 ? 2 : 1;
                x = bottleneck ? Bottleneck(net, n, x, planes, stride) : Basic(net, n, x, planes, stride);
            }
        }
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap Basic(NetBuilder net, string n, FeatureMap x, int planes, int stride)
    {
        var y = net.ConvBnAct($"{n}.1", x, planes, 3, stride);
        y = net.ConvBnAct($"{n}.2", y, planes, 3, act: Act.None);
        return net.Relu(net.Add($"{n}.add", y, Shortcut(net, n, x, planes, stride)));
    }

    private static FeatureMap Bottleneck(NetBuilder net, string n, FeatureMap x, int planes, int stride)
    {
        var y = net.ConvBnAct($"{n}.1", x, planes, 1);
        y = net.ConvBnAct($"{n}.2", y, planes, 3, stride);
        y = net.ConvBnAct($"{n}.3", y, planes * 4, 1, act: Act.None);
        return net.Relu(net.Add($"{n}.add", y, Shortcut(net, n, x, planes * 4, stride)));
    }

    /// <summary>Identity when the shape is kept, else the 1×1 projection (option B of the paper).</summary>
    private static FeatureMap Shortcut(NetBuilder net, string n, FeatureMap x, int channels, int stride) =>
        stride == 1 && x.Channels == channels ? x : net.ConvBnAct($"{n}.downsample", x, channels, 1, stride, Act.None);
}
