namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// Network in Network (Lin et al., 2013), the ImageNet model of the Caffe model zoo: four "mlpconv" blocks —
/// a spatial convolution followed by two 1×1 convolutions, all with ReLU — with 3×3/2 max pooling (Caffe's
/// ceil rounding) between them; the last block's second 1×1 convolution outputs one map per class and
/// global average pooling turns them into the logits. No fully connected layer.
/// </summary>
public static class NiN
{
    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("nin", config);
        int C(int channels) => Channels.Scale(channels, config.Width);
        var x = net.Input(3);
        x = MlpConv(net, "block1", x, C(96), kernel: 11, stride: 4, pad: 0, C(96));
        x = net.MaxPool("pool1", x, 3, 2, ceil: true);
        x = MlpConv(net, "block2", x, C(256), kernel: 5, stride: 1, pad: 2, C(256));
        x = net.MaxPool("pool2", x, 3, 2, ceil: true);
        x = MlpConv(net, "block3", x, C(384), kernel: 3, stride: 1, pad: 1, C(384));
        x = net.MaxPool("pool3", x, 3, 2, ceil: true);
        x = MlpConv(net, "block4", x, C(1024), kernel: 3, stride: 1, pad: 1, config.Classes);
        var logits = net.Flatten("logits", net.GlobalAveragePool("gap", x));
        return net.Finish(logits);
    }

    /// <summary>k×k convolution, then a 1×1 "micro network" of two layers; ReLU after each (also after the
    /// class maps, as in the Caffe model).</summary>
    private static FeatureMap MlpConv(NetBuilder net, string name, FeatureMap x, int channels, int kernel, int stride, int pad, int outChannels)
    {
        x = net.Relu(net.Conv($"{name}.conv", x, channels, kernel, stride, pad, bias: true));
        x = net.Relu(net.Conv($"{name}.cccp1", x, channels, 1, bias: true));
        return net.Relu(net.Conv($"{name}.cccp2", x, outChannels, 1, bias: true));
    }
}
