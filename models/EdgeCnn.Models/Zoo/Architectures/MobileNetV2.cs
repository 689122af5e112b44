namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// MobileNetV2 (Sandler et al., 2018) as torchvision defines it: a 3×3/2 convolution, seventeen inverted
/// residual blocks — 1×1 expansion (factor t) with ReLU6, 3×3 depthwise with ReLU6, linear 1×1 projection
/// (no activation: the linear bottleneck), an identity shortcut when stride is 1 and the channels match —
/// a 1×1 convolution to 1280, global average pooling and a linear classifier. Every convolution is followed
/// by batch normalization; ReLU6 is exported as Clip(0, 6). Channels scale with the width multiplier and
/// round to multiples of 8; the last convolution never shrinks below 1280.
/// </summary>
public static class MobileNetV2
{
    /// <summary>The paper's Table 2: expansion t, output channels c, repeats n, first stride s.</summary>
    private static readonly (int T, int C, int N, int S)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("mobilenet-v2", config);
        double w = config.Width;
        var x = net.Input(3);
        x = net.ConvBnAct("features.0", x, Channels.MakeDivisible(32 * w), 3, stride: 2, act: Act.Relu6);
        int index = 1;
        foreach (var (t, c, n, s) in Settings)
        {
            int output = Channels.MakeDivisible(c * w);
            for (int i = 0; i < n; i++, index++)
                x = InvertedResidual(net, $"features.{index}", x, output, i == 0 ? s : 1, t);
        }
        x = net.ConvBnAct($"features.{index}", x, Channels.MakeDivisible(1280 * Math.Max(1.0, w)), 1, act: Act.Relu6);
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap InvertedResidual(NetBuilder net, string n, FeatureMap x, int output, int stride, int expansion)
    {
        int hidden = (int)Math.Round((double)x.Channels * expansion);
        var y = expansion == 1 ? x : net.ConvBnAct($"{n}.expand", x, hidden, 1, act: Act.Relu6);
        y = net.ConvBnAct($"{n}.dw", y, hidden, 3, stride, Act.Relu6, group: hidden);
        y = net.ConvBnAct($"{n}.project", y, output, 1, act: Act.None);
        return stride == 1 && x.Channels == output ? net.Add($"{n}.add", y, x) : y;
    }
}
