using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

public sealed class QuantizationReportTests
{
    private static (QuantizedPipeline Pipeline, List<float[]> Samples) ConvNet(string firstConvName = "")
    {
        var g = new EdgeGraph(seed: 12);
        var x = g.Input("x", 1, 8, 8, 3);
        var conv = g.Conv(x, 8, 3, ActivationKind.Relu);
        if (firstConvName.Length > 0) conv.Name = firstConvName;
        var h = g.Lrn(g.MaxPool(conv.Outputs[0], 2));
        h = g.Conv(h, 8, 3, ActivationKind.HardSwish).Outputs[0];
        var logits = g.FullyConnected(g.Reshape(g.GlobalAveragePool(h), 1, 8), 6).Outputs[0];
        g.Output(logits, h);
        var pipeline = QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(5, 16, 192, 1f));
        return (pipeline, MinMaxRanges.RandomSamples(6, 6, 192, 1f));
    }

    private static QuantizationReport Evaluate(QuantizedPipeline p, List<float[]> samples) =>
        QuantizationEvaluator.Evaluate(p.Float, p.Int8, p.Result, samples.Select(s => (IReadOnlyList<float[]>)[s]), "conv-net",
            [new("method", "minmax")]);

    [Fact]
    public void LayerSqnrMatchesADirectComparisonOfTheTensors()
    {
        var (p, samples) = ConvNet();
        var report = Evaluate(p, samples);
        Assert.Equal(p.Result.Tensors.Count, report.Layers.Count);
        Assert.Equal(samples.Count, report.Samples);

        foreach (var layer in report.Layers)
        {
            double signal = 0, noise = 0;
            foreach (var sample in samples)
            {
                var reference = Capture(p.Float, sample, layer.FloatTensor);
                var quantized = Capture(p.Int8, sample, layer.Tensor);
                var values = MemoryMarshal.Cast<byte, float>(reference);
                for (int i = 0; i < values.Length; i++)
                {
                    double real = layer.Scale * ((double)(sbyte)quantized[i] - layer.ZeroPoint);
                    signal += (double)values[i] * values[i];
                    noise += (values[i] - real) * (values[i] - real);
                }
            }
            Assert.Equal(10 * Math.Log10(signal / noise), layer.SqnrDb, 6);
            // Eight bits of a min/max range: well above 20 dB on the data it was calibrated for.
            Assert.True(layer.SqnrDb > 20, $"{layer.Node}: {layer.SqnrDb:F1} dB");
        }
    }

    [Fact]
    public void OutputsCosineTopOneAndSizes()
    {
        var (p, samples) = ConvNet();
        var report = Evaluate(p, samples);
        Assert.Equal(2, report.Outputs.Count);
        var logits = report.Outputs[0];
        double minCosine = double.PositiveInfinity, sum = 0;
        int agree = 0;
        foreach (var sample in samples)
        {
            var a = QuantizedPipeline.RunFirstOutput(new Session(p.Float), sample);
            var b = QuantizedPipeline.RunFirstOutput(new Session(p.Int8), sample);
            double c = QuantizedPipeline.Cosine(a, b);
            minCosine = Math.Min(minCosine, c);
            sum += c;
            if (Array.IndexOf(a, a.Max()) == Array.IndexOf(b, b.Max())) agree++;
        }
        Assert.Equal(sum / samples.Count, logits.MeanCosine, 9);
        Assert.Equal(minCosine, logits.MinCosine, 9);
        Assert.Equal(agree / (double)samples.Count, logits.Top1Agreement);
        Assert.Null(report.Outputs[1].Top1Agreement); // a feature map is no class vector

        Assert.Equal(ModelWriter.ToBytes(p.Float).LongLength, report.Fp32Bytes);
        Assert.Equal(ModelWriter.ToBytes(p.Int8).LongLength, report.Int8Bytes);
        Assert.True(report.Int8Bytes < report.Fp32Bytes);
        Assert.Equal(p.Result.FloatNodeCount, report.FloatNodeCount);
        Assert.True(report.FloatNodeCount >= 1); // the LRN
    }

    [Fact]
    public void JsonHoldsEveryFigure()
    {
        var (p, samples) = ConvNet();
        var report = Evaluate(p, samples);
        var json = JsonNode.Parse(ReportJson.ToText(report))!;
        Assert.Equal("conv-net", (string)json["model"]!);
        Assert.Equal(samples.Count, (int)json["samples"]!);
        Assert.Equal("minmax", (string)json["settings"]!["method"]!);
        Assert.Equal(report.Int8Bytes, (long)json["size"]!["int8Bytes"]!);
        var layers = json["layers"]!.AsArray();
        Assert.Equal(report.Layers.Count, layers.Count);
        Assert.Equal(report.Layers[0].SqnrDb, (double)layers[0]!["sqnrDb"]!, 9);
        var floatNodes = json["floatNodes"]!.AsArray();
        Assert.Contains(floatNodes, n => ((string)n!["op"]!).Contains("Lrn", StringComparison.Ordinal));
    }

    [Fact]
    public void HtmlIsSelfContainedWithABarPerLayerAndEscapedNames()
    {
        var (p, samples) = ConvNet(firstConvName: "conv<&>\"1\"");
        var report = Evaluate(p, samples);
        string html = ReportHtml.Render(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.Equal(report.Layers.Count, CountOf(html, "<rect "));
        Assert.Contains("conv&lt;&amp;&gt;&quot;1&quot;", html);
        Assert.DoesNotContain("conv<&>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
        Assert.EndsWith("</html>\n", html);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "exact", "good")]
    [InlineData(double.NegativeInfinity, "−∞ dB", "poor")]
    [InlineData(12.34, "12.3 dB", "poor")]
    [InlineData(20.0, "20.0 dB", "fair")]
    [InlineData(41.06, "41.1 dB", "good")]
    public void SqnrLabelsAndBands(double sqnr, string label, string band)
    {
        Assert.Equal(label, ReportHtml.Db(sqnr));
        Assert.Equal(band, ReportHtml.Band(sqnr));
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    private static byte[] Capture(CompiledModel model, float[] sample, string tensor)
    {
        var observer = new OneTensor(tensor);
        var session = new Session(model) { Observer = observer };
        QuantizedPipeline.RunFirstOutput(session, sample);
        return observer.Data ?? throw new InvalidOperationException($"tensor '{tensor}' was never produced");
    }

    private sealed class OneTensor(string name) : ITensorObserver
    {
        public byte[]? Data { get; private set; }

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (info.Name == name) Data = data.ToArray();
        }
    }
}
