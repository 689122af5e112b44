using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>
/// Measures the source of the QDQ export's disagreements with ONNX Runtime: on PaddleOCR's text classifier, every
/// int8 convolution's output codes are recomputed from EdgeCnn's own input codes with the real requantization
/// factor rounded once, half to even (what ORT's float requantization and QuantizeLinear do). The fixed-point
/// requantization may differ from that by one step only, and only near .5 boundaries (docs/quantization.md, "QDQ export").
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class RequantizationRoundingTests
{
    private const double MaximumDifferingFraction = 0.01;

    [Fact]
    public void FixedPointConvolutionsDifferFromExactRoundingByOneStepRarely()
    {
        var path = OcrModels.Require(OcrModels.Classifier);
        var inputs = TextImages.All().Select(i => PaddlePreprocess.TextLine(i, 48, 192)).ToList();
        var graph = ModelCompiler.Import(path, new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [1, 3, 48, 192] } });
        PassPipeline.Run(graph, optimize: true);
        QuantizationPreparation.Prepare(graph);
        var ranges = MinMaxRanges.Measure(GraphLowering.Lower(graph), inputs.Where((_, i) => i % 4 == 0));
        var quantized = Quantizer.Quantize(graph, ranges).Graph;
        var observer = new Int8Tensors();
        var session = new Session(GraphLowering.Lower(quantized)) { Observer = observer };
        var convs = quantized.Nodes.Where(n => n.Is(OpCode.Conv2D) && n.Input(0).Type == ElementType.Int8).ToList();

        long total = 0, differing = 0;
        int largest = 0;
        foreach (var sample in inputs.Take(4))
        {
            session.Run([sample], [(Memory<float>)new float[2]]);
            foreach (var conv in convs)
            {
                var expected = ExactlyRounded(conv, observer.Codes[conv.Input(0).Name]);
                var actual = observer.Codes[conv.Outputs[0].Name];
                for (int i = 0; i < expected.Length; i++)
                {
                    int difference = Math.Abs(expected[i] - actual[i]);
                    total++;
                    if (difference != 0) differing++;
                    largest = Math.Max(largest, difference);
                }
            }
        }
        string summary = $"{convs.Count} int8 convolutions, {total} output codes: {(double)differing / total:P4} differ from exact round-half-even, largest difference {largest}";
        Console.WriteLine(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(largest <= 1, summary);
        Assert.True((double)differing / total <= MaximumDifferingFraction, summary);
    }

    /// <summary>NHWC int8 convolution from the OpCode definition, requantized as roundHalfEven(acc·s_x·s_w[c]/s_y) + zp_y
    /// in double and clamped to the fused activation's bounds.</summary>
    private static int[] ExactlyRounded(Node conv, sbyte[] x)
    {
        var input = conv.Input(0);
        var weights = conv.Input(1);
        var output = conv.Outputs[0];
        var (h, w, cin) = (input.RequireShape()[1], input.RequireShape()[2], input.RequireShape()[3]);
        var (kh, kw, cg) = (weights.RequireShape()[1], weights.RequireShape()[2], weights.RequireShape()[3]);
        var (oh, ow, cout) = (output.RequireShape()[1], output.RequireShape()[2], output.RequireShape()[3]);
        var strides = conv.Ints(ParamKey.Strides) ?? [1, 1];
        var dilations = conv.Ints(ParamKey.Dilations) ?? [1, 1];
        var pads = conv.Ints(ParamKey.Pads) ?? [0, 0, 0, 0];
        int outPerGroup = cout / conv.Int(ParamKey.Group, 1);
        var wq = weights.Constant!.AsLongs();
        var bias = conv.InputOrNull(2)?.Constant!.AsLongs();
        var xq = input.Quant!;
        var yq = output.Quant!;
        var (lo, hi) = conv.Activation() switch
        {
            ActivationKind.Relu => (QuantScheme.Quantize(0, yq.Scale, yq.ZeroPoint), 127),
            ActivationKind.Clip => (QuantScheme.Quantize(conv.Float(ParamKey.Alpha, 0), yq.Scale, yq.ZeroPoint), QuantScheme.Quantize(conv.Float(ParamKey.Beta, 0), yq.Scale, yq.ZeroPoint)),
            _ => (-128, 127),
        };
        var y = new int[oh * ow * cout];
        for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++)
                for (int o = 0; o < cout; o++)
                {
                    long acc = bias?[o] ?? 0;
                    int firstInput = o / outPerGroup * cg;
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            int ih = r * strides[0] - pads[0] + i * dilations[0], iw = c * strides[1] - pads[1] + j * dilations[1];
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            for (int k = 0; k < cg; k++)
                                acc += (x[(ih * w + iw) * cin + firstInput + k] - xq.ZeroPoint) * wq[((o * kh + i) * kw + j) * cg + k];
                        }
                    double weightScale = weights.Quant!.IsPerTensor ? weights.Quant.Scale : weights.Quant.Scales[o];
                    double real = acc * ((double)xq.Scale * weightScale / yq.Scale);
                    y[(r * ow + c) * cout + o] = (int)Math.Clamp(Math.Round(real, MidpointRounding.ToEven) + yq.ZeroPoint, lo, hi);
                }
        return y;
    }

    private sealed class Int8Tensors : ITensorObserver
    {
        public Dictionary<string, sbyte[]> Codes { get; } = new(StringComparer.Ordinal);

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (info.Type == DataType.Int8) Codes[info.Name] = MemoryMarshal.Cast<byte, sbyte>(data).ToArray();
        }
    }
}
