namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// MobileNetV3-Small (Howard et al., 2019) as torchvision defines it: a 3×3/2 convolution with hard-swish,
/// eleven bottlenecks (optional 1×1 expansion, k×k depthwise, optional squeeze-and-excitation, linear 1×1
/// projection, identity shortcut when shapes match) with ReLU or hard-swish, a 1×1 convolution to 576 with
/// hard-swish, global average pooling, a 1024-wide hidden layer with hard-swish and the classifier.
/// The squeeze-and-excitation gate is GlobalAveragePool → 1×1 conv → ReLU → 1×1 conv → HardSigmoid(1/6, 1/2)
/// → Mul. Hard-swish appears in both exported forms: written out as x·Clip(x+3, 0, 6)/6 inside the
/// bottlenecks (the compiler's pattern fusion must find it) and as the HardSwish operator in the stem, the
/// last convolution and the classifier.
/// </summary>
public static class MobileNetV3Small
{
    /// <summary>Table 2 of the paper: input, kernel, expanded, output channels, SE, hard-swish, stride.</summary>
    private static readonly (int In, int K, int Exp, int Out, bool Se, bool Hs, int S)[] Bottlenecks =
    [
        (16, 3, 16, 16, true, false, 2),
        (16, 3, 72, 24, false, false, 2),
        (24, 3, 88, 24, false, false, 1),
        (24, 5, 96, 40, true, true, 2),
        (40, 5, 240, 40, true, true, 1),
        (40, 5, 240, 40, true, true, 1),
        (40, 5, 120, 48, true, true, 1),
        (48, 5, 144, 48, true, true, 1),
        (48, 5, 288, 96, true, true, 2),
        (96, 5, 576, 96, true, true, 1),
        (96, 5, 576, 96, true, true, 1),
    ];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("mobilenet-v3-small", config);
        int C(int channels) => Channels.MakeDivisible(channels * config.Width);
        var x = net.Input(3);
        x = net.ConvBnAct("features.0", x, C(16), 3, stride: 2, act: Act.HardSwish);
        for (int i = 0; i < Bottlenecks.Length; i++)
        {
            var b = Bottlenecks[i];
            string n = $"features.{i + 1}";
            var act = b.Hs ? Act.HardSwishPattern : Act.Relu;
            int expanded = C(b.Exp);
            var y = expanded == x.Channels ? x : net.ConvBnAct($"{n}.expand", x, expanded, 1, act: act);
            y = net.ConvBnAct($"{n}.dw", y, expanded, b.K, b.S, act, group: expanded);
            if (b.Se) y = SqueezeExcitation(net, $"{n}.se", y, Channels.MakeDivisible(expanded / 4));
            y = net.ConvBnAct($"{n}.project", y, C(b.Out), 1, act: Act.None);
            x = b.S == 1 && x.Channels == y.Channels ? net.Add($"{n}.add", y, x) : y;
        }
        x = net.ConvBnAct($"features.{Bottlenecks.Length + 1}", x, 6 * x.Channels, 1, act: Act.HardSwish);
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        f = net.HardSwish(net.Linear("classifier.0", f, C(1024)));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap SqueezeExcitation(NetBuilder net, string n, FeatureMap x, int squeeze)
    {
        var s = net.GlobalAveragePool($"{n}.pool", x);
        s = net.Relu(net.Conv($"{n}.fc1", s, squeeze, 1, bias: true));
        s = net.HardSigmoid(net.Conv($"{n}.fc2", s, x.Channels, 1, bias: true));
        return net.Scale($"{n}.scale", x, s);
    }
}
