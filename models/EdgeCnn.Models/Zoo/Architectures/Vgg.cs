namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// VGG (Simonyan and Zisserman, 2014) configurations A (VGG-11) and D (VGG-16): stacks of 3×3 convolutions
/// (pad 1, bias, ReLU) separated by 2×2/2 max pooling, then fc6/fc7 of 4096 and the classifier; no batch
/// normalization (the original networks have none) and no dropout (inference). The classifier flattens
/// whatever the last pool leaves (7×7×512 at 224), so other resolutions change fc6's size.
/// VGG-16: 138,357,544 parameters and 15.47G MACs at the standard configuration.
/// </summary>
public static class Vgg
{
    private const int Pool = 0;

    /// <summary>Configuration A: 8 convolutions + 3 fully connected layers.</summary>
    private static readonly int[] Vgg11Layers = [64, Pool, 128, Pool, 256, 256, Pool, 512, 512, Pool, 512, 512, Pool];

    /// <summary>Configuration D: 13 convolutions + 3 fully connected layers.</summary>
    private static readonly int[] Vgg16Layers =
        [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512, Pool];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build11(ZooConfig config) => Build("vgg11", Vgg11Layers, config);

    public static ZooModel Build16(ZooConfig config) => Build("vgg16", Vgg16Layers, config);

    private static ZooModel Build(string name, int[] layers, ZooConfig config)
    {
        var net = new NetBuilder(name, config);
        var x = net.Input(3);
        int block = 1, conv = 1;
        foreach (int channels in layers)
        {
            if (channels == Pool)
            {
                x = net.MaxPool($"pool{block}", x, 2, 2);
                block++;
                conv = 1;
                continue;
            }
            x = net.Relu(net.Conv($"conv{block}_{conv++}", x, Channels.Scale(channels, config.Width), 3, bias: true));
        }
        var f = net.Flatten("flatten", x);
        f = net.Relu(net.Linear("fc6", f, Channels.Scale(4096, config.Width)));
        f = net.Relu(net.Linear("fc7", f, Channels.Scale(4096, config.Width)));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }
}
