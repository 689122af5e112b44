using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Quantized models run on the int8 kernels and stay close to their float originals: output cosine
/// similarity over held-out random inputs (the calibration saw other samples).</summary>
public sealed class QuantizedAccuracyTests
{
    private const double MinimumCosine = 0.99;

    public static TheoryData<string> Networks => new(SyntheticNetworks.Names);

    [Theory]
    [MemberData(nameof(Networks))]
    public void SyntheticNetworkKeepsItsOutput(string name)
    {
        var net = SyntheticNetworks.Build(name);
        int length = net.Shape.Aggregate(1, (a, b) => a * b);
        var pipeline = QuantizedPipeline.Build(QuantizedPipeline.Import(net.Onnx), MinMaxRanges.RandomSamples(21, 24, length, 1f));
        Assert.True(pipeline.Result.Int8NodeCount > 0, "nothing was quantized");
        AssertClose(pipeline, MinMaxRanges.RandomSamples(22, 8, length, 1f), name);
    }

    [Fact]
    public void ConvNetWithFloatIslandAndHeadKeepsItsOutput()
    {
        var g = new EdgeGraph(seed: 8);
        var x = g.Input("x", 1, 12, 12, 3);
        var h = g.Conv(x, 16, 3, ActivationKind.Relu).Outputs[0];
        h = g.Conv(h, 16, 3, ActivationKind.Clip, group: 16, alpha: 0, beta: 6).Outputs[0];
        h = g.MaxPool(h, 2);
        var skip = h;
        h = g.Conv(h, 16, 1, ActivationKind.HardSwish).Outputs[0];
        h = g.Lrn(h);
        h = g.Conv(h, 16, 3).Outputs[0];
        h = g.Binary(BinaryKind.Add, h, skip, ActivationKind.Relu).Outputs[0];
        var halves = g.Split(h, 3, 8, 8);
        h = g.Concat(3, g.Conv(halves[0], 8, 1, ActivationKind.Sigmoid).Outputs[0], halves[1]);
        h = g.GlobalAveragePool(h);
        var logits = g.FullyConnected(g.Reshape(h, 1, 16), 10).Outputs[0];
        g.Output(logits);
        var pipeline = QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(31, 32, 432, 1f));
        Assert.Contains(pipeline.Int8.Tensors, t => t.Type == DataType.Int8 && t.Kind == TensorKind.Activation);
        AssertClose(pipeline, MinMaxRanges.RandomSamples(32, 8, 432, 1f), "conv net");
    }

    [Fact]
    public void SavedInt8ModelRunsLikeTheInMemoryOne()
    {
        var net = SyntheticNetworks.Build("MobileNetV2InvertedResidual");
        int length = net.Shape.Aggregate(1, (a, b) => a * b);
        var pipeline = QuantizedPipeline.Build(QuantizedPipeline.Import(net.Onnx), MinMaxRanges.RandomSamples(41, 8, length, 1f));
        var loaded = ModelReader.Read(ModelWriter.ToBytes(pipeline.Int8), "int8.ecnn");
        var sample = MinMaxRanges.RandomSamples(42, 1, length, 1f)[0];
        Assert.Equal(QuantizedPipeline.RunFirstOutput(new Session(pipeline.Int8), sample), QuantizedPipeline.RunFirstOutput(new Session(loaded), sample));
    }

    private static void AssertClose(QuantizedPipeline pipeline, IReadOnlyList<float[]> samples, string what)
    {
        var floatSession = new Session(pipeline.Float);
        var int8Session = new Session(pipeline.Int8);
        foreach (var sample in samples)
        {
            var expected = QuantizedPipeline.RunFirstOutput(floatSession, sample);
            var actual = QuantizedPipeline.RunFirstOutput(int8Session, sample);
            double cosine = QuantizedPipeline.Cosine(expected, actual);
            Assert.True(cosine >= MinimumCosine, $"{what}: cosine {cosine:F5} < {MinimumCosine}");
        }
    }
}
