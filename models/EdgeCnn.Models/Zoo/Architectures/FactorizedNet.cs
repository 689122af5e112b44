namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// A network of factorized convolutions (Szegedy et al., 2015, "Rethinking the Inception Architecture",
/// §3.2 and Figure 6): an n×n convolution replaced by a 1×n followed by an n×1 (2n instead of n² weights per
/// channel pair), with n = 7 as Inception-v3 uses at 17×17. Stem: 3×3/2, 3×3, 3×3/2 convolutions and a 3×3/2
/// max pool (1/8 resolution); two stages of two blocks (the second stage after a 3×3/2 convolution), global
/// average pooling and a linear classifier. A block concatenates four quarter-width branches — 1×1;
/// 1×1 → 1×n → n×1; 1×1 → (1×n → n×1)²; 3×3 average pool → 1×1 — then a linear 1×1 projection is added to
/// the block's input (residual, as in Inception-ResNet). Every convolution has batch normalization and ReLU.
/// </summary>
public static class FactorizedNet
{
    public const int N = 7;

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("factorized", config);
        int C(int channels) => Channels.Scale(channels, config.Width, multiple: 4);
        var x = net.Input(3);
        x = net.ConvBnAct("stem1", x, C(32), 3, stride: 2);
        x = net.ConvBnAct("stem2", x, C(32), 3);
        x = net.ConvBnAct("stem3", x, C(64), 3, stride: 2);
        x = net.MaxPool("stem_pool", x, 3, 2, pad: 1);
        x = net.ConvBnAct("stage1.widen", x, C(128), 1);
        x = Block(net, "stage1.0", x);
        x = Block(net, "stage1.1", x);
        x = net.ConvBnAct("stage2.reduce", x, C(256), 3, stride: 2);
        x = Block(net, "stage2.0", x);
        x = Block(net, "stage2.1", x);
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap Block(NetBuilder net, string n, FeatureMap x)
    {
        int q = x.Channels / 4;
        var a = net.ConvBnAct($"{n}.a", x, q, 1);
        var b = Factorized(net, $"{n}.b.1", net.ConvBnAct($"{n}.b.reduce", x, q, 1), q);
        var c = net.ConvBnAct($"{n}.c.reduce", x, q, 1);
        c = Factorized(net, $"{n}.c.2", Factorized(net, $"{n}.c.1", c, q), q);
        var d = net.ConvBnAct($"{n}.d", net.AveragePool($"{n}.d.pool", x, 3, 1, pad: 1), q, 1);
        var y = net.Concat($"{n}.concat", a, b, c, d);
        y = net.BatchNorm($"{n}.project.bn", net.Conv($"{n}.project.conv", y, x.Channels, 1));
        return net.Relu(net.Add($"{n}.add", y, x));
    }

    /// <summary>1×n then n×1, each with batch normalization and ReLU.</summary>
    private static FeatureMap Factorized(NetBuilder net, string n, FeatureMap x, int channels)
    {
        var y = net.BatchNorm($"{n}.1xn.bn", net.Conv($"{n}.1xn.conv", x, channels, (1, N), 1, (0, N / 2)));
        y = net.Relu(y);
        y = net.BatchNorm($"{n}.nx1.bn", net.Conv($"{n}.nx1.conv", y, channels, (N, 1), 1, (N / 2, 0)));
        return net.Relu(y);
    }
}
