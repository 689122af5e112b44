namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// A dilated segmentation stack with hybrid dilation rates (Wang et al., 2018, "Understanding Convolution
/// for Semantic Segmentation"): three 3×3/2 convolutions bring the input to 1/8 resolution, then two groups
/// of three 3×3 convolutions with dilation 1, 2 and 5 — rates without a common factor, so the group's
/// receptive field (1 + 2·(1+2+5) = 17 pixels at 1/8) covers every position, unlike a 2, 2, 2 stack whose
/// taps leave a grid of holes — each group wrapped in a residual connection. A 1×1 convolution gives the
/// per-pixel class scores: the output is [1, classes, R/8, R/8] (PASCAL VOC's 21 classes by default).
/// </summary>
public static class DilatedHdcNet
{
    public static readonly int[] Rates = [1, 2, 5];
    public const int Groups = 2;

    public static ZooConfig Defaults => new(Width: 1, Resolution: 256, Classes: 21);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("dilated-hdc", config);
        int C(int channels) => Channels.Scale(channels, config.Width);
        var x = net.Input(3);
        x = net.ConvBnAct("down1", x, C(32), 3, stride: 2);
        x = net.ConvBnAct("down2", x, C(64), 3, stride: 2);
        x = net.ConvBnAct("down3", x, C(128), 3, stride: 2);
        for (int g = 0; g < Groups; g++)
        {
            var y = x;
            for (int i = 0; i < Rates.Length; i++)
            {
                bool last = i == Rates.Length - 1;
                y = net.ConvBnAct($"hdc{g + 1}.d{Rates[i]}", y, x.Channels, 3, act: last ? Act.None : Act.Relu, dilation: Rates[i]);
            }
            x = net.Relu(net.Add($"hdc{g + 1}.add", y, x));
        }
        return net.Finish(net.Conv("logits", x, config.Classes, 1, bias: true));
    }
}
