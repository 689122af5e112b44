namespace EdgeCnn.Models.Zoo;

public sealed partial class NetBuilder
{
    /// <summary>Square convolution; <paramref name="pad"/> defaults to "same" for stride 1
    /// (dilation·(kernel−1)/2 on every side).</summary>
    public FeatureMap Conv(string name, FeatureMap x, int outChannels, int kernel, int stride = 1, int? pad = null,
        int dilation = 1, int group = 1, bool bias = false)
    {
        int p = pad ?? dilation * (kernel - 1) / 2;
        return Conv(name, x, outChannels, (kernel, kernel), stride, (p, p), dilation, group, bias);
    }

    /// <summary>Rectangular convolution (kernel and padding as height, width), e.g. the 1×n and n×1 halves of a
    /// factorized n×n convolution.</summary>
    public FeatureMap Conv(string name, FeatureMap x, int outChannels, (int H, int W) kernel, int stride, (int H, int W) pad,
        int dilation = 1, int group = 1, bool bias = false)
    {
        if (x.Channels % group != 0 || outChannels % group != 0)
            throw new ModelConfigException(Model,
                $"layer '{name}': {x.Channels} input and {outChannels} output channels are not divisible into {group} groups");
        int h = Extent(name, x.Height, kernel.H, stride, pad.H, pad.H, dilation);
        int w = Extent(name, x.Width, kernel.W, stride, pad.W, pad.W, dilation);
        int fanIn = x.Channels / group * kernel.H * kernel.W;
        var inputs = new List<string>
        {
            x.Name,
            HeWeight($"{name}.weight", [outChannels, x.Channels / group, kernel.H, kernel.W], fanIn),
        };
        if (bias) inputs.Add(UniformConstant($"{name}.bias", outChannels, -0.1, 0.1));
        Node("Conv", [.. inputs], name, name)
            .Attr("kernel_shape", [(long)kernel.H, kernel.W])
            .Attr("strides", [(long)stride, stride])
            .Attr("pads", [(long)pad.H, pad.W, pad.H, pad.W])
            .Attr("dilations", [(long)dilation, dilation])
            .Attr("group", (long)group);
        return new FeatureMap(name, outChannels, h, w);
    }

    /// <summary>Inference BatchNormalization with statistics a trained network could have: positive variance
    /// away from 1, non-zero mean, scale around 1 and a small shift — so folding it into the convolution
    /// changes the weights for real.</summary>
    public FeatureMap BatchNorm(string name, FeatureMap x)
    {
        int c = x.Channels;
        Node("BatchNormalization",
            [
                x.Name,
                UniformConstant($"{name}.scale", c, 0.5, 1.5),
                UniformConstant($"{name}.bias", c, -0.2, 0.2),
                UniformConstant($"{name}.mean", c, -0.2, 0.2),
                UniformConstant($"{name}.var", c, 0.5, 1.5),
            ], name, name)
            .Attr("epsilon", 1e-5f);
        return x with { Name = name };
    }

    /// <summary>Conv (no bias) → BatchNormalization → activation, the unit of every modern CNN.</summary>
    public FeatureMap ConvBnAct(string name, FeatureMap x, int outChannels, int kernel, int stride = 1, Act act = Act.Relu,
        int group = 1, int dilation = 1)
    {
        var y = Conv($"{name}.conv", x, outChannels, kernel, stride, dilation: dilation, group: group);
        return Activate(BatchNorm($"{name}.bn", y), act);
    }

    public FeatureMap MaxPool(string name, FeatureMap x, int kernel, int stride, int pad = 0, bool ceil = false) =>
        Pool("MaxPool", name, x, kernel, stride, pad, ceil, countPad: false);

    /// <summary>Average pooling. <paramref name="countPad"/> divides by the full window including padding
    /// (PyTorch's AvgPool2d default); otherwise by the window's in-image part (ONNX's and Caffe's default).</summary>
    public FeatureMap AveragePool(string name, FeatureMap x, int kernel, int stride, int pad = 0, bool ceil = false, bool countPad = false)
        => Pool("AveragePool", name, x, kernel, stride, pad, ceil, countPad);

    private FeatureMap Pool(string op, string name, FeatureMap x, int kernel, int stride, int pad, bool ceil, bool countPad)
    {
        int h = Extent(name, x.Height, kernel, stride, pad, pad, 1, ceil);
        int w = Extent(name, x.Width, kernel, stride, pad, pad, 1, ceil);
        var node = Node(op, [x.Name], name, name)
            .Attr("kernel_shape", [(long)kernel, kernel])
            .Attr("strides", [(long)stride, stride])
            .Attr("pads", [(long)pad, pad, pad, pad])
            .Attr("ceil_mode", ceil ? 1L : 0L);
        if (countPad) node.Attr("count_include_pad", 1L);
        return new FeatureMap(name, x.Channels, h, w);
    }

    public FeatureMap GlobalAveragePool(string name, FeatureMap x)
    {
        Node("GlobalAveragePool", [x.Name], name, name);
        return new FeatureMap(name, x.Channels, 1, 1);
    }

    /// <summary>Mean over height and width without keeping them, as PyTorch exports <c>x.mean([2, 3])</c>.</summary>
    public FeatureVector SpatialMean(string name, FeatureMap x)
    {
        Node("ReduceMean", [x.Name], name, name).Attr("axes", [2L, 3]).Attr("keepdims", 0L);
        return new FeatureVector(name, x.Channels);
    }

    /// <summary>Local response normalization across channels (AlexNet, GoogLeNet); ONNX divides alpha by size,
    /// as Caffe and PyTorch do.</summary>
    public FeatureMap Lrn(string name, FeatureMap x, int size = 5, float alpha = 1e-4f, float beta = 0.75f, float bias = 1f)
    {
        Node("LRN", [x.Name], name, name)
            .Attr("size", (long)size)
            .Attr("alpha", alpha)
            .Attr("beta", beta)
            .Attr("bias", bias);
        return x with { Name = name };
    }

    public FeatureVector Flatten(string name, FeatureMap x)
    {
        Node("Flatten", [x.Name], name, name).Attr("axis", 1L);
        return new FeatureVector(name, checked(x.Channels * x.Height * x.Width));
    }

    /// <summary>Fully connected layer as PyTorch exports nn.Linear: Gemm with transB = 1 and a bias.</summary>
    public FeatureVector Linear(string name, FeatureVector x, int outputs)
    {
        Node("Gemm",
            [
                x.Name,
                HeWeight($"{name}.weight", [outputs, x.Length], x.Length),
                UniformConstant($"{name}.bias", outputs, -0.1, 0.1),
            ], name, name)
            .Attr("transB", 1L);
        return new FeatureVector(name, outputs);
    }
}
