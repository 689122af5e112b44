using EdgeCnn.Compiler.Tests.OnnxRuntime;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>
/// The QDQ export of the ops ShuffleNetV2 and the PaddleOCR detector add to the classifiers (linear and nearest
/// Resize, grouped and ungrouped int8 ConvTranspose, ReduceMean) runs in ONNX Runtime as the same integer model:
/// the int8 output codes of EdgeCnn and ORT agree within one step on at least 99% of elements, as
/// <see cref="QdqExportTests"/> checks for the other ops.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class QdqExportUpsamplingTests
{
    private const double RequiredAgreement = 0.99;

    public static TheoryData<string> Networks => new(["FpnResize", "TransposedConvolutions", "ReduceMeanHead"]);

    [Theory]
    [MemberData(nameof(Networks))]
    public void NetworkAgreesWithOnnxRuntime(string name)
    {
        var (onnx, shape) = Build(name);
        int length = shape.Aggregate(1, (a, b) => a * b);
        var graph = QdqAgreement.Import(onnx);
        var agreement = QdqAgreement.Measure(graph, MinMaxRanges.RandomSamples(61, 24, length, 1f), MinMaxRanges.RandomSamples(62, 16, length, 1f));
        Console.WriteLine($"{name}: {agreement}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {agreement}");
        Assert.True(agreement.WithinOneFraction >= RequiredAgreement, $"{name}: {agreement}");
        Assert.True(agreement.OrtOps.Keys.Any(k => k.StartsWith("QLinear", StringComparison.Ordinal)),
            $"{name}: ONNX Runtime fused no QDQ group into an integer kernel: {agreement}");
    }

    private static (byte[] Onnx, int[] Shape) Build(string name) => name switch
    {
        "FpnResize" => FpnResize(),
        "TransposedConvolutions" => TransposedConvolutions(),
        "ReduceMeanHead" => ReduceMeanHead(),
        _ => throw new ArgumentException($"no network '{name}'"),
    };

    /// <summary>An FPN merge as in the detector's neck: a stride-2 branch upsampled 2× (linear, half-pixel) added to a
    /// 1×1 lateral branch, then a stride-2 branch upsampled 2× by nearest neighbour added on top.</summary>
    private static (byte[], int[]) FpnResize()
    {
        var b = new NetworkBuilder(seed: 11, opset: 13);
        int[] shape = [1, 4, 10, 10];
        var x = b.Input("x", shape);
        var coarse = b.Relu(b.Conv(x, 4, 8, 3, stride: 2, pad: 1));
        b.Node("Resize", [coarse, "", Scales(b)], out var linear).Attr("mode", "linear").Attr("coordinate_transformation_mode", "half_pixel");
        var lateral = b.Conv(x, 4, 8, 1);
        var merged = b.Relu(b.Binary("Add", linear, lateral));
        var other = b.Relu(b.Conv(x, 4, 8, 3, stride: 2, pad: 1));
        b.Node("Resize", [other, "", Scales(b)], out var nearest).Attr("mode", "nearest").Attr("coordinate_transformation_mode", "asymmetric")
            .Attr("nearest_mode", "floor");
        var y = b.Conv(b.Binary("Add", merged, nearest), 8, 6, 3, pad: 1);
        b.Output(y);
        return (b.Onnx.ToBytes(), shape);
    }

    /// <summary>The detector's head upsamplings (2×2 stride 2, Relu) with two groups, then an ungrouped 3×3 stride-2
    /// transposed convolution with padding and output padding.</summary>
    private static (byte[], int[]) TransposedConvolutions()
    {
        var b = new NetworkBuilder(seed: 12, opset: 13);
        int[] shape = [1, 8, 6, 6];
        var x = b.Input("x", shape);
        var h = b.Relu(b.Conv(x, 8, 8, 3, pad: 1));
        b.Node("ConvTranspose", [h, b.Weight([8, 4, 2, 2], 0.5), b.Weight([8], 0.1)], out var grouped)
            .Attr("kernel_shape", [2L, 2]).Attr("strides", [2L, 2]).Attr("group", 2L);
        var up = b.Relu(grouped);
        b.Node("ConvTranspose", [up, b.Weight([8, 5, 3, 3], 0.3), b.Weight([5], 0.1)], out var y)
            .Attr("kernel_shape", [3L, 3]).Attr("strides", [2L, 2]).Attr("pads", [1L, 1, 1, 1]).Attr("output_padding", [1L, 1]);
        b.Output(y);
        return (b.Onnx.ToBytes(), shape);
    }

    /// <summary>ShuffleNetV2's head: Conv-ReLU → mean over H and W without kept dims → Gemm.</summary>
    private static (byte[], int[]) ReduceMeanHead()
    {
        var b = new NetworkBuilder(seed: 13, opset: 13);
        int[] shape = [1, 6, 8, 8];
        var x = b.Input("x", shape);
        var h = b.Relu(b.Conv(x, 6, 16, 3, pad: 1));
        b.Node("ReduceMean", [h], out var pooled).Attr("axes", [2L, 3]).Attr("keepdims", 0L);
        b.Node("Gemm", [pooled, b.Weight([10, 16], 0.8), b.Weight([10], 0.1)], out var y).Attr("transB", 1L);
        b.Output(y);
        return (b.Onnx.ToBytes(), shape);
    }

    private static string Scales(NetworkBuilder b)
    {
        string name = $"scales_{Guid.NewGuid():N}";
        b.Onnx.AddInitializer(name, Ir.TensorData.FromFloats([4], [1f, 1f, 2f, 2f]));
        return name;
    }
}
