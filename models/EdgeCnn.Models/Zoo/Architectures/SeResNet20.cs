namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// A small squeeze-and-excitation network (Hu et al., 2017) on the CIFAR ResNet-20 body (He et al., 2015,
/// §4.2): 3×3 convolution (16), three stages of three basic blocks (16, 32, 64 channels; the 2nd and 3rd
/// stages start with stride 2 and a 1×1 projection shortcut), global average pooling and a linear
/// classifier. Each block's residual branch is recalibrated before the addition by an SE gate written as
/// PyTorch's nn.Linear version exports it: GlobalAveragePool → Flatten → Gemm (C→C/4) → ReLU →
/// Gemm (C/4→C) → Sigmoid → Reshape to [1, C, 1, 1] → Mul. Reduction 4 rather than the paper's 16, which
/// would leave 16-channel blocks a single hidden unit.
/// </summary>
public static class SeResNet20
{
    public const int Reduction = 4;

    public static ZooConfig Defaults => new(Width: 1, Resolution: 32, Classes: 10);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("se-resnet20", config);
        var x = net.Input(3);
        x = net.ConvBnAct("stem", x, Channels.Scale(16, config.Width), 3);
        for (int stage = 0; stage < 3; stage++)
        {
            int channels = Channels.Scale(16 << stage, config.Width);
            for (int b = 0; b < 3; b++)
            {
                string n = $"stage{stage + 1}.{b}";
                int stride = stage > 0 && b == 0 ? 2 : 1;
                var y = net.ConvBnAct($"{n}.1", x, channels, 3, stride);
                y = net.ConvBnAct($"{n}.2", y, channels, 3, act: Act.None);
                y = SqueezeExcitation(net, $"{n}.se", y);
                var shortcut = stride == 1 && x.Channels == channels ? x : net.ConvBnAct($"{n}.downsample", x, channels, 1, stride, Act.None);
                x = net.Relu(net.Add($"{n}.add", y, shortcut));
            }
        }
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap SqueezeExcitation(NetBuilder net, string n, FeatureMap x)
    {
        var s = net.Flatten($"{n}.squeeze", net.GlobalAveragePool($"{n}.pool", x));
        s = net.Relu(net.Linear($"{n}.fc1", s, Math.Max(1, x.Channels / Reduction)));
        s = net.Sigmoid(net.Linear($"{n}.fc2", s, x.Channels));
        return net.Scale($"{n}.scale", x, net.ToMap($"{n}.gate", s));
    }
}
