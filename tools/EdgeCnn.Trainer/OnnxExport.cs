using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Models;
using static TorchSharp.torch;

namespace EdgeCnn.Trainer;

/// <summary>
/// Writes a trained <see cref="DwSepNet"/> as ONNX (opset 13) through <see cref="OnnxModelBuilder"/>, node
/// for node what the module computes: Sub/Div normalization, Conv (group = channels for depthwise),
/// BatchNormalization with the running statistics (kept as its own node, as exporters write it, so the
/// compiler's BN folding has work to do), Clip(0, 6) for ReLU6, GlobalAveragePool, Flatten, Gemm.
/// </summary>
public static class OnnxExport
{
    public const int Opset = 13;
    public const string InputName = "input";
    public const string OutputName = "logits";
    public static readonly int[] InputShape = [1, Architecture.InputChannels, FashionMnist.Height, FashionMnist.Width];

    public static byte[] Build(DwSepNet model)
    {
        var b = new OnnxModelBuilder(Opset, "fashion_mnist_dwsep");
        b.AddInput(InputName, InputShape);
        b.AddInitializer("pixel_mean", [], [FashionMnist.PixelMean]);
        b.AddInitializer("pixel_std", [], [FashionMnist.PixelStd]);
        b.AddInitializer("relu6_min", [], [0f]);
        b.AddInitializer("relu6_max", [], [Architecture.Relu6Max]);
        b.AddNode("Sub", [InputName, "pixel_mean"], ["centered"], "normalize_sub");
        b.AddNode("Div", ["centered", "pixel_std"], ["normalized"], "normalize_div");

        string x = "normalized";
        for (int i = 0; i < model.Layers.Count; i++)
            x = ConvBnRelu6(b, LayerName(i), x, model.Layers[i]);

        b.AddNode("GlobalAveragePool", [x], ["pooled"], "pool");
        b.AddNode("Flatten", ["pooled"], ["features"], "flatten").Attr("axis", 1L);
        b.AddInitializer("classifier.weight", [Architecture.Classes, Architecture.FeatureChannels], Floats(model.Classifier.weight!));
        b.AddInitializer("classifier.bias", [Architecture.Classes], Floats(model.Classifier.bias!));
        b.AddNode("Gemm", ["features", "classifier.weight", "classifier.bias"], [OutputName], "classifier").Attr("transB", 1L);
        b.AddOutput(OutputName, [1, Architecture.Classes]);
        return b.ToBytes();
    }

    /// <summary>"stem", then "block{k}_dw" and "block{k}_pw" for block k = 1, 2, ...</summary>
    private static string LayerName(int index) =>
        index == 0 ? "stem" : $"block{(index + 1) / 2}_{(index % 2 == 1 ? "dw" : "pw")}";

    private static string ConvBnRelu6(OnnxModelBuilder b, string name, string input, DwSepNet.ConvBn layer)
    {
        var weight = layer.Conv.weight!;
        int[] shape = Array.ConvertAll(weight.shape, d => checked((int)d));
        int kernel = shape[2];
        long pad = kernel / 2;
        b.AddInitializer($"{name}.weight", shape, Floats(weight));
        b.AddNode("Conv", [input, $"{name}.weight"], [$"{name}_conv"], $"{name}_conv")
            .Attr("kernel_shape", [(long)kernel, kernel])
            .Attr("strides", [(long)layer.Stride, layer.Stride])
            .Attr("pads", [pad, pad, pad, pad])
            .Attr("group", (long)layer.Groups);

        var bn = layer.Bn;
        int channels = shape[0];
        b.AddInitializer($"{name}.bn.scale", [channels], Floats(bn.weight!));
        b.AddInitializer($"{name}.bn.bias", [channels], Floats(bn.bias!));
        b.AddInitializer($"{name}.bn.mean", [channels], Floats(bn.running_mean!));
        b.AddInitializer($"{name}.bn.var", [channels], Floats(bn.running_var!));
        b.AddNode("BatchNormalization", [$"{name}_conv", $"{name}.bn.scale", $"{name}.bn.bias", $"{name}.bn.mean", $"{name}.bn.var"],
                [$"{name}_bn"], $"{name}_bn")
            .Attr("epsilon", (float)Architecture.BatchNormEpsilon);
        b.AddNode("Clip", [$"{name}_bn", "relu6_min", "relu6_max"], [name], $"{name}_relu6");
        return name;
    }

    private static float[] Floats(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();
}
