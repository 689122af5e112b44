namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// DenseNet-121 (Huang et al., 2016; DenseNet-BC with growth rate 32): 7×7/2 stem with batch normalization
/// and ReLU, 3×3/2 max pooling, four dense blocks of 6, 12, 24 and 16 layers — each layer
/// BN-ReLU-1×1 conv (4·growth) then BN-ReLU-3×3 conv (growth), its output concatenated to its input — and
/// transitions (BN-ReLU-1×1 conv halving the channels, 2×2/2 average pooling); a final BN-ReLU, global
/// average pooling and a linear classifier. The pre-activation order leaves the batch normalizations that
/// follow a concatenation unfoldable (a per-channel affine remains), the others fold into the 1×1 convs.
/// </summary>
public static class DenseNet121
{
    private static readonly int[] Layers = [6, 12, 24, 16];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("densenet121", config);
        int growth = Channels.Scale(32, config.Width);
        var x = net.Input(3);
        x = net.ConvBnAct("stem", x, 2 * growth, 7, stride: 2);
        x = net.MaxPool("pool0", x, 3, 2, pad: 1);
        for (int block = 0; block < Layers.Length; block++)
        {
            for (int layer = 0; layer < Layers[block]; layer++)
            {
                string n = $"denseblock{block + 1}.layer{layer + 1}";
                var y = net.Relu(net.BatchNorm($"{n}.norm1", x));
                y = net.Conv($"{n}.conv1", y, 4 * growth, 1);
                y = net.Relu(net.BatchNorm($"{n}.norm2", y));
                y = net.Conv($"{n}.conv2", y, growth, 3);
                x = net.Concat($"{n}.concat", x, y);
            }
            if (block == Layers.Length - 1) break;
            string t = $"transition{block + 1}";
            x = net.Relu(net.BatchNorm($"{t}.norm", x));
            x = net.Conv($"{t}.conv", x, x.Channels / 2, 1);
            x = net.AveragePool($"{t}.pool", x, 2, 2);
        }
        x = net.Relu(net.BatchNorm("norm5", x));
        var f = net.Flatten("flatten", net.GlobalAveragePool("avgpool", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }
}
