using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Models;

/// <summary>
/// A small synthetic test model (models/tiny-cnn/): a MobileNet-style CNN with seeded random (untrained)
/// weights, for tests that need a 3-channel image classifier that builds in milliseconds. Input "input" [1,3,32,32] (NCHW, RGB scaled to 0..1), output
/// "probabilities" [1,10] (Softmax). It exercises the paths real mobile models take: a strided stem
/// conv, depthwise-separable blocks with BatchNormalization and ReLU6 (Clip 0..6), a HardSwish, a
/// residual Add, global average pooling, Flatten + Gemm and Softmax.
/// </summary>
public static class TinyCnn
{
    public const int Opset = 14; // HardSwish entered ONNX in opset 14
    public const ulong Seed = 20240601;
    public const string InputName = "input";
    public const string OutputName = "probabilities";
    public static readonly int[] InputShape = [1, 3, 32, 32];

    /// <summary>Names of the 10 output classes, in CIFAR-10 order. The weights are untrained, so the scores
    /// carry no meaning; the names give the output a realistic form.</summary>
    public static readonly string[] Labels =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    public static byte[] Build()
    {
        var b = new OnnxModelBuilder(Opset, "tiny_cnn");
        var random = new SeededRandom(Seed);
        b.AddInput(InputName, InputShape);
        b.AddInitializer("relu6_min", [], [0f]);
        b.AddInitializer("relu6_max", [], [6f]);

        string x = ConvBnAct(b, random, "stem", InputName, 3, 16, kernel: 3, stride: 2, group: 1, Act.Relu6);      // 16×16×16
        x = ConvBnAct(b, random, "block1_dw", x, 16, 16, kernel: 3, stride: 1, group: 16, Act.Relu6);
        x = ConvBnAct(b, random, "block1_pw", x, 16, 32, kernel: 1, stride: 1, group: 1, Act.Relu6);            // 32×16×16
        x = ConvBnAct(b, random, "block2_dw", x, 32, 32, kernel: 3, stride: 2, group: 32, Act.Relu6);
        x = ConvBnAct(b, random, "block2_pw", x, 32, 64, kernel: 1, stride: 1, group: 1, Act.HardSwish);        // 64×8×8
        string shortcut = x;
        x = ConvBnAct(b, random, "block3_dw", x, 64, 64, kernel: 3, stride: 1, group: 64, Act.Relu6);
        x = ConvBnAct(b, random, "block3_pw", x, 64, 64, kernel: 1, stride: 1, group: 1, Act.None);
        b.AddNode("Add", [x, shortcut], ["block3_out"], "block3_add");

        b.AddNode("GlobalAveragePool", ["block3_out"], ["pooled"], "pool");
        b.AddNode("Flatten", ["pooled"], ["features"], "flatten").Attr("axis", 1L);
        double bound = Math.Sqrt(6.0 / 64);
        b.AddInitializer("classifier.weight", [10, 64], random.Uniform(10 * 64, -bound, bound));
        b.AddInitializer("classifier.bias", [10], random.Uniform(10, -0.1, 0.1));
        b.AddNode("Gemm", ["features", "classifier.weight", "classifier.bias"], ["logits"], "classifier").Attr("transB", 1L);
        b.AddNode("Softmax", ["logits"], [OutputName], "softmax").Attr("axis", 1L);
        b.AddOutput(OutputName, [1, 10]);
        return b.ToBytes();
    }

    private enum Act { None, Relu6, HardSwish }

    /// <summary>Conv (no bias, as PyTorch exports conv+BN) → BatchNormalization → activation. Returns the output name.</summary>
    private static string ConvBnAct(OnnxModelBuilder b, SeededRandom random, string name, string input,
        int cin, int cout, int kernel, int stride, int group, Act act)
    {
        int fanIn = cin / group * kernel * kernel;
        double bound = Math.Sqrt(6.0 / fanIn); // He-uniform keeps activations from vanishing through the blocks
        b.AddInitializer($"{name}.weight", [cout, cin / group, kernel, kernel], random.Uniform(cout * fanIn, -bound, bound));
        long pad = kernel / 2;
        b.AddNode("Conv", [input, $"{name}.weight"], [$"{name}_conv"], $"{name}_conv")
            .Attr("kernel_shape", [(long)kernel, kernel])
            .Attr("strides", [(long)stride, stride])
            .Attr("pads", [pad, pad, pad, pad])
            .Attr("group", (long)group);

        b.AddInitializer($"{name}.bn.scale", [cout], random.Uniform(cout, 0.5, 1.5));
        b.AddInitializer($"{name}.bn.bias", [cout], random.Uniform(cout, -0.1, 0.1));
        b.AddInitializer($"{name}.bn.mean", [cout], random.Uniform(cout, -0.1, 0.1));
        b.AddInitializer($"{name}.bn.var", [cout], random.Uniform(cout, 0.5, 1.5));
        string bnOut = act == Act.None ? name : $"{name}_bn";
        b.AddNode("BatchNormalization", [$"{name}_conv", $"{name}.bn.scale", $"{name}.bn.bias", $"{name}.bn.mean", $"{name}.bn.var"], [bnOut], $"{name}_bn")
            .Attr("epsilon", 1e-5f);

        switch (act)
        {
            case Act.Relu6:
                b.AddNode("Clip", [bnOut, "relu6_min", "relu6_max"], [name], $"{name}_relu6");
                break;
            case Act.HardSwish:
                b.AddNode("HardSwish", [bnOut], [name], $"{name}_hswish");
                break;
        }
        return name;
    }
}
