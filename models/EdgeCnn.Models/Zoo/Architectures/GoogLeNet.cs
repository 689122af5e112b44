namespace EdgeCnn.Models.Zoo.Architectures;

/// <summary>
/// GoogLeNet / Inception v1 (Szegedy et al., 2014) as in its Table 1 and the Caffe reference model
/// (bvlc_googlenet): convolutions with bias and ReLU, local response normalization in the stem, 3×3/2 max
/// pooling with ceil rounding, nine Inception modules whose four branches (1×1; 1×1→3×3; 1×1→5×5;
/// 3×3/1 max pool→1×1) are concatenated on channels, global average pooling and one linear classifier.
/// No auxiliary classifiers (they only serve training) and no dropout.
/// </summary>
public static class GoogLeNet
{
    /// <summary>Table 1's columns: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.</summary>
    private readonly record struct Inception(string Name, int C1, int R3, int C3, int R5, int C5, int Proj);

    private static readonly Inception[] Stage3 = [new("3a", 64, 96, 128, 16, 32, 32), new("3b", 128, 128, 192, 32, 96, 64)];

    private static readonly Inception[] Stage4 =
    [
        new("4a", 192, 96, 208, 16, 48, 64), new("4b", 160, 112, 224, 24, 64, 64), new("4c", 128, 128, 256, 24, 64, 64),
        new("4d", 112, 144, 288, 32, 64, 64), new("4e", 256, 160, 320, 32, 128, 128),
    ];

    private static readonly Inception[] Stage5 = [new("5a", 256, 160, 320, 32, 128, 128), new("5b", 384, 192, 384, 48, 128, 128)];

    public static ZooConfig Defaults => new(Width: 1, Resolution: 224, Classes: 1000);

    public static ZooModel Build(ZooConfig config)
    {
        var net = new NetBuilder("googlenet", config);
        int C(int channels) => Channels.Scale(channels, config.Width);
        var x = net.Input(3);
        x = net.Relu(net.Conv("conv1", x, C(64), 7, stride: 2, pad: 3, bias: true));
        x = net.Lrn("norm1", net.MaxPool("pool1", x, 3, 2, ceil: true));
        x = net.Relu(net.Conv("conv2_reduce", x, C(64), 1, bias: true));
        x = net.Relu(net.Conv("conv2", x, C(192), 3, bias: true));
        x = net.MaxPool("pool2", net.Lrn("norm2", x), 3, 2, ceil: true);
        foreach (var m in Stage3) x = Module(net, x, m, C);
        x = net.MaxPool("pool3", x, 3, 2, ceil: true);
        foreach (var m in Stage4) x = Module(net, x, m, C);
        x = net.MaxPool("pool4", x, 3, 2, ceil: true);
        foreach (var m in Stage5) x = Module(net, x, m, C);
        var f = net.Flatten("flatten", net.GlobalAveragePool("gap", x));
        return net.Finish(net.Linear("logits", f, config.Classes));
    }

    private static FeatureMap Module(NetBuilder net, FeatureMap x, Inception m, Func<int, int> c)
    {
        string n = $"inception{m.Name}";
        var b1 = net.Relu(net.Conv($"{n}.1x1", x, c(m.C1), 1, bias: true));
        var b2 = net.Relu(net.Conv($"{n}.3x3_reduce", x, c(m.R3), 1, bias: true));
        b2 = net.Relu(net.Conv($"{n}.3x3", b2, c(m.C3), 3, bias: true));
        var b3 = net.Relu(net.Conv($"{n}.5x5_reduce", x, c(m.R5), 1, bias: true));
        b3 = net.Relu(net.Conv($"{n}.5x5", b3, c(m.C5), 5, bias: true));
        var b4 = net.MaxPool($"{n}.pool", x, 3, 1, pad: 1);
        b4 = net.Relu(net.Conv($"{n}.pool_proj", b4, c(m.Proj), 1, bias: true));
        return net.Concat($"{n}.output", b1, b2, b3, b4);
    }
}
