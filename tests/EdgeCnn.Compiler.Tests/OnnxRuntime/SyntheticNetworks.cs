namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>A small ONNX network built in code, with one input and a seeded input sample.</summary>
internal sealed record SyntheticNetwork(string Name, byte[] Onnx, string Input, int[] Shape, float[] Sample);

/// <summary>
/// The building blocks of edge CNNs, written as exporters emit them, so that the compiler's passes
/// (BatchNormalization folding, activation and HardSwish fusion, channel shuffle, FullyConnected,
/// NHWC layout) each meet the pattern they exist for.
/// </summary>
internal static class SyntheticNetworks
{
    public static IReadOnlyList<string> Names { get; } =
        ["MobileNetV2InvertedResidual", "ShuffleNetUnit", "SqueezeExcitation", "HardSwishBlock", "ClassifierHead", "PaddedConvolutions"];

    public static SyntheticNetwork Build(string name) => name switch
    {
        "MobileNetV2InvertedResidual" => MobileNetV2InvertedResidual(),
        "ShuffleNetUnit" => ShuffleNetUnit(),
        "SqueezeExcitation" => SqueezeExcitation(),
        "HardSwishBlock" => HardSwishBlock(),
        "ClassifierHead" => ClassifierHead(),
        "PaddedConvolutions" => PaddedConvolutions(),
        _ => throw new ArgumentException($"no synthetic network '{name}'"),
    };

    /// <summary>1×1 expand (Conv-BN-ReLU6) → 3×3 depthwise (Conv-BN-ReLU6) → 1×1 linear bottleneck (Conv-BN) → residual Add.</summary>
    private static SyntheticNetwork MobileNetV2InvertedResidual()
    {
        var b = new NetworkBuilder(seed: 1);
        int[] shape = [1, 8, 10, 10];
        var x = b.Input("x", shape);
        var h = b.Clip(b.BatchNorm(b.Conv(x, 8, 48, 1, bias: false), 48), 0, 6);
        h = b.Clip(b.BatchNorm(b.Conv(h, 48, 48, 3, pad: 1, group: 48, bias: false), 48), 0, 6);
        h = b.BatchNorm(b.Conv(h, 48, 8, 1, bias: false), 8);
        var y = b.Binary("Add", x, h);
        b.Output(y);
        return new("MobileNetV2InvertedResidual", b.Onnx.ToBytes(), x, shape, b.RandomInput(shape, 1));
    }

    /// <summary>ShuffleNetV2 unit (stride 1): split channels, transform one half
    /// (1×1 Conv-BN-ReLU, 3×3 depthwise Conv-BN, 1×1 Conv-BN-ReLU), concat, then the
    /// Reshape → Transpose → Reshape channel shuffle with 2 groups.</summary>
    private static SyntheticNetwork ShuffleNetUnit()
    {
        var b = new NetworkBuilder(seed: 2);
        int[] shape = [1, 16, 8, 8];
        var x = b.Input("x", shape);
        var sizes = b.Shape([8, 8]);
        b.Onnx.AddNode("Split", [x, sizes], ["left", "right"]).Attr("axis", 1L);
        var h = b.Relu(b.BatchNorm(b.Conv("right", 8, 8, 1, bias: false), 8));
        h = b.BatchNorm(b.Conv(h, 8, 8, 3, pad: 1, group: 8, bias: false), 8);
        h = b.Relu(b.BatchNorm(b.Conv(h, 8, 8, 1, bias: false), 8));
        b.Node("Concat", ["left", h], out var joined).Attr("axis", 1L);
        b.Node("Reshape", [joined, b.Shape([1, 2, 8, 8, 8])], out var grouped);
        b.Node("Transpose", [grouped], out var swapped).Attr("perm", [0L, 2, 1, 3, 4]);
        b.Node("Reshape", [swapped, b.Shape([1, 16, 8, 8])], out var y);
        b.Output(y);
        return new("ShuffleNetUnit", b.Onnx.ToBytes(), x, shape, b.RandomInput(shape, 1));
    }

    /// <summary>Conv-ReLU, then squeeze-and-excitation: GlobalAveragePool → FC → ReLU → FC → HardSigmoid → channel-wise Mul.</summary>
    private static SyntheticNetwork SqueezeExcitation()
    {
        var b = new NetworkBuilder(seed: 3);
        int[] shape = [1, 4, 9, 9];
        var x = b.Input("x", shape);
        var features = b.Relu(b.Conv(x, 4, 16, 3, pad: 1));
        var pooled = b.Unary("GlobalAveragePool", features);
        b.Node("Reshape", [pooled, b.Shape([1, 16])], out var squeezed);
        b.Node("Gemm", [squeezed, b.Weight([4, 16], 0.5), b.Weight([4], 0.1)], out var fc1).Attr("transB", 1L);
        var hidden = b.Relu(fc1);
        b.Node("Gemm", [hidden, b.Weight([16, 4], 0.8), b.Weight([16], 0.1)], out var fc2).Attr("transB", 1L);
        b.Node("HardSigmoid", [fc2], out var gate).Attr("alpha", 1f / 6).Attr("beta", 0.5f);
        b.Node("Reshape", [gate, b.Shape([1, 16, 1, 1])], out var excitation);
        var y = b.Binary("Mul", features, excitation);
        b.Output(y);
        return new("SqueezeExcitation", b.Onnx.ToBytes(), x, shape, b.RandomInput(shape, 1));
    }

    /// <summary>Conv → x·Clip(x+3, 0, 6)/6 → Conv → x·HardSigmoid(x): both spellings of HardSwish exporters emit.</summary>
    private static SyntheticNetwork HardSwishBlock()
    {
        var b = new NetworkBuilder(seed: 4);
        int[] shape = [1, 6, 7, 7];
        var x = b.Input("x", shape);
        var c1 = b.Conv(x, 6, 12, 3, pad: 1);
        var shifted = b.Binary("Add", c1, b.Scalar(3));
        var clipped = b.Clip(shifted, 0, 6);
        var product = b.Binary("Mul", c1, clipped);
        var h1 = b.Binary("Div", product, b.Scalar(6));
        var c2 = b.Conv(h1, 12, 12, 3, stride: 2, pad: 1);
        b.Node("HardSigmoid", [c2], out var gate).Attr("alpha", 1f / 6).Attr("beta", 0.5f);
        var y = b.Binary("Mul", c2, gate);
        b.Output(y);
        // Range ±4 drives the pre-activations through both clip bounds (−3 and +3).
        return new("HardSwishBlock", b.Onnx.ToBytes(), x, shape, b.RandomInput(shape, 4));
    }

    /// <summary>Reflect-padded Conv-ReLU → edge-padded Conv-LeakyRelu (asymmetric pads) → constant-padded
    /// AveragePool. ONNX's own reflect/edge Pad tests use int32 data, which the float32 runtime never
    /// sees, so this is where the runtime's reflect and edge kernels meet a reference.</summary>
    private static SyntheticNetwork PaddedConvolutions()
    {
        var b = new NetworkBuilder(seed: 6);
        int[] shape = [1, 3, 9, 11];
        var x = b.Input("x", shape);
        b.Node("Pad", [x, b.Shape([0, 0, 2, 1, 0, 0, 2, 1])], out var reflected).Attr("mode", "reflect");
        var h = b.Relu(b.Conv(reflected, 3, 8, 5));
        b.Node("Pad", [h, b.Shape([0, 0, 1, 0, 0, 0, 2, 3])], out var extended).Attr("mode", "edge");
        var c = b.Conv(extended, 8, 8, 3, stride: 2);
        b.Node("LeakyRelu", [c], out var leaky).Attr("alpha", 0.1f);
        b.Node("Pad", [leaky, b.Shape([0, 0, 1, 1, 0, 0, 1, 1]), b.Scalar(-0.5f)], out var framed).Attr("mode", "constant");
        b.Node("AveragePool", [framed], out var y).Attr("kernel_shape", [3L, 3]).Attr("strides", [1L, 1]);
        b.Output(y);
        return new("PaddedConvolutions", b.Onnx.ToBytes(), x, shape, b.RandomInput(shape, 1));
    }

    /// <summary>Conv-BN-ReLU → MaxPool → GlobalAveragePool → Flatten → Gemm → Softmax.</summary>
    private static SyntheticNetwork ClassifierHead()
    {
        var b = new NetworkBuilder(seed: 5);
        int[] shape = [1, 3, 12, 12];
        var x = b.Input("x", shape);
        var h = b.Relu(b.BatchNorm(b.Conv(x, 3, 10, 3, pad: 1), 10));
        b.Node("MaxPool", [h], out var pooled).Attr("kernel_shape", [2L, 2]).Attr("strides", [2L, 2]);
        var gap = b.Unary("GlobalAveragePool", pooled);
        b.Node("Flatten", [gap], out var flat).Attr("axis", 1L);
        b.Node("Gemm", [flat, b.Weight([7, 10], 1.0), b.Weight([7], 0.2)], out var logits).Attr("transB", 1L);
        b.Node("Softmax", [logits], out var y).Attr("axis", 1L);
        b.Output(y);
        return new("ClassifierHead", b.Onnx.ToBytes(), x, shape, b.RandomInput(shape, 1));
    }
}
