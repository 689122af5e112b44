namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// AlexNet as Krizhevsky et al. (2012) trained it on two GPUs, written as one graph: the two towers are
/// convolution groups (conv2, conv4 and conv5 have group = 2; conv3 and the fully connected layers see both
/// towers). 11×11 stride-4 stem, ReLU, local response normalization (k = 2, n = 5, α = 1e-4, β = 0.75) after
/// conv1 and conv2, overlapping 3×3/2 max pooling, fc6/fc7 of 4096, no dropout (inference).
/// The stem pads by 2 so a 224×224 input gives the paper's 55×55 maps (the paper's 224 only works with it).
/// 60,965,224 parameters and 724M MACs at the standard configuration.
/// </summary>
public static class AlexNet
{
    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("alexnet", config);
        int C(int channels) => Channels.Scale(channels, config.Width, multiple: 2); // each tower gets half
        var x = net.Input(3);
        x = net.Relu(net.Conv("conv1", x, C(96), 11, stride: 4, pad: 2, bias: true));
        x = net.MaxPool("pool1", net.Lrn("norm1", x, bias: 2f), 3, 2);
        x = net.Relu(net.Conv("conv2", x, C(256), 5, group: 2, bias: true));
        x = net.MaxPool("pool2", net.Lrn("norm2", x, bias: 2f), 3, 2);
        x = net.Relu(net.Conv("conv3", x, C(384), 3, bias: true));
        x = net.Relu(net.Conv("conv4", x, C(384), 3, group: 2, bias: true));
        x = net.Relu(net.Conv("conv5", x, C(256), 3, group: 2, bias: true));
        x = net.MaxPool("pool5", x, 3, 2);
        var f = net.Flatten("flatten", x);
        f = net.Relu(net.Linear("fc6", f, Channels.Scale(4096, config.Width)));
        f = net.Relu(net.Linear("fc7", f, Channels.Scale(4096, config.Width)));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }
}
