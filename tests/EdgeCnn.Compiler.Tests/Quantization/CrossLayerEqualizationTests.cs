using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Cross-layer equalization keeps the float function (checked by running both models), evens out the
/// per-channel weight ranges (measured from the weights, against the paper's fixed point r₁ᵢ = r₂ᵢ), and leaves
/// alone the pairs it must not touch.</summary>
public sealed class CrossLayerEqualizationTests
{
    /// <summary>conv 3×3/2 → dw 3×3 → pw 1×1 → dw 3×3 → pw 1×1 → GAP → FC, ReLU after every conv but the last,
    /// with the output channels of every conv spread over three decades as unfolded batch norms leave them.</summary>
    internal static (Graph Graph, Node[] Convs) BuildMobileNetLike(ActivationKind act = ActivationKind.Relu, bool spread = true)
    {
        var g = new EdgeGraph(seed: 41);
        var x = g.Input("x", 1, 16, 16, 3);
        var convs = new List<Node>();
        Node Add(Node n) { convs.Add(n); return n; }
        var h = Add(g.Conv(x, 16, 3, act, stride: 2)).Outputs[0];
        h = Add(g.Conv(h, 16, 3, act, group: 16)).Outputs[0];
        h = Add(g.Conv(h, 24, 1, act)).Outputs[0];
        h = Add(g.Conv(h, 24, 3, act, group: 24)).Outputs[0];
        h = Add(g.Conv(h, 32, 1)).Outputs[0];
        var logits = g.FullyConnected(g.Reshape(g.GlobalAveragePool(h), 1, 32), 10).Outputs[0];
        g.Output(logits);
        var random = new Random(7);
        if (spread) foreach (var conv in convs) SpreadChannels(conv, random);
        return (g.Graph, convs.ToArray());
    }

    /// <summary>Multiplies each output channel's weights and bias by 10^u, u uniform in [−1.5, 1.5].</summary>
    private static void SpreadChannels(Node conv, Random random)
    {
        var w = conv.Inputs[1]!.Constant!;
        var b = conv.Inputs[2]!.Constant!;
        int cout = w.Shape[0], row = (int)(w.Count / cout);
        var nw = (float[])w.Floats!.Clone();
        var nb = (float[])b.Floats!.Clone();
        for (int o = 0; o < cout; o++)
        {
            float f = (float)Math.Pow(10, random.NextDouble() * 3 - 1.5);
            for (int k = 0; k < row; k++) nw[o * row + k] *= f;
            nb[o] *= f;
        }
        conv.Inputs[1] = Value.FromConstant(conv.Inputs[1]!.Name + "_spread", TensorData.FromFloats(w.Shape, nw));
        conv.Inputs[2] = Value.FromConstant(conv.Inputs[2]!.Name + "_spread", TensorData.FromFloats(b.Shape, nb));
    }

    private static float[] Run(CompiledModel model, float[] input)
    {
        var output = new float[model.Tensors[model.Outputs[0]].ElementCount];
        new Session(model).Run([(ReadOnlyMemory<float>)input], [(Memory<float>)output]);
        return output;
    }

    private static void AssertSameOutputs(CompiledModel before, CompiledModel after, int length)
    {
        foreach (var input in MinMaxRanges.RandomSamples(5, 6, length, 2f))
        {
            var a = Run(before, input);
            var b = Run(after, input);
            double scale = a.Max(v => Math.Abs((double)v));
            Assert.True(scale > 0, "the reference output is all zeros, the comparison would prove nothing");
            double worst = a.Zip(b, (p, q) => Math.Abs((double)p - q)).Max();
            Assert.True(worst <= 1e-5 * scale, $"max |Δ| {worst:g3} exceeds 1e-5 of the output scale {scale:g3}");
        }
    }

    /// <summary>max|w| per output channel (W[Cout, ...]).</summary>
    private static double[] OutputRanges(Node conv)
    {
        var w = conv.Inputs[1]!.Constant!;
        int cout = w.Shape[0], row = (int)(w.Count / cout);
        return Enumerable.Range(0, cout).Select(o => w.Floats!.Skip(o * row).Take(row).Max(v => Math.Abs((double)v))).ToArray();
    }

    /// <summary>max|w| per input channel of an NHWC conv W[Cout,KH,KW,Cin/g], straight from the index definition.</summary>
    private static double[] InputRanges(Node conv)
    {
        var w = conv.Inputs[1]!.Constant!;
        int cout = w.Shape[0], kh = w.Shape[1], kw = w.Shape[2], cpg = w.Shape[3];
        int group = conv.Int(ParamKey.Group, 1), opg = cout / group;
        var ranges = new double[cpg * group];
        for (int o = 0; o < cout; o++)
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    for (int j = 0; j < cpg; j++)
                    {
                        int channel = o / opg * cpg + j;
                        double v = Math.Abs(w.Floats![((o * kh + y) * kw + x) * cpg + j]);
                        ranges[channel] = Math.Max(ranges[channel], v);
                    }
        return ranges;
    }

    private static double Spread(double[] ranges) => ranges.Max() / ranges.Min();

    [Fact]
    public void MobileNetLikeNetKeepsItsOutputs()
    {
        var (graph, _) = BuildMobileNetLike();
        var before = GraphLowering.Lower(graph);
        var summary = new CrossLayerEqualizationPass().Equalize(graph);
        Assert.Equal(4, summary.Pairs.Count);
        Assert.True(summary.Converged, $"not converged after {summary.Sweeps} sweeps");
        AssertSameOutputs(before, GraphLowering.Lower(graph), 16 * 16 * 3);
    }

    [Fact]
    public void LeakyReluAndOpenClipPairsKeepTheirOutputs()
    {
        var (graph, convs) = BuildMobileNetLike(ActivationKind.LeakyRelu);
        foreach (var c in convs.Where(c => c.Activation() == ActivationKind.LeakyRelu)) c.SetParam(ParamKey.Alpha, 0.1f);
        convs[1].SetParam(ParamKey.Activation, (int)ActivationKind.Clip).SetParam(ParamKey.Alpha, 0f).SetParam(ParamKey.Beta, float.PositiveInfinity);
        var before = GraphLowering.Lower(graph);
        var summary = new CrossLayerEqualizationPass().Equalize(graph);
        Assert.Equal(4, summary.Pairs.Count);
        AssertSameOutputs(before, GraphLowering.Lower(graph), 16 * 16 * 3);
    }

    [Fact]
    public void RangesReachThePapersFixedPointAndBecomeMoreEqual()
    {
        var (graph, convs) = BuildMobileNetLike();
        var spreadBefore = convs.Select(c => Spread(OutputRanges(c))).ToArray();
        new CrossLayerEqualizationPass().Equalize(graph);

        for (int i = 0; i + 1 < convs.Length; i++)
        {
            var r1 = OutputRanges(convs[i]);
            var r2 = InputRanges(convs[i + 1]);
            for (int c = 0; c < r1.Length; c++)
                Assert.InRange(r1[c] / r2[c], 0.99, 1.01);
        }
        // Every first layer of a pair leaves its range spread (three decades by construction) to be shared with the
        // next layer's input channels; the last conv is no first layer and only takes on spread.
        for (int i = 0; i + 1 < convs.Length; i++)
        {
            double after = Spread(OutputRanges(convs[i]));
            Assert.True(after < spreadBefore[i] / 8, $"conv {i}: output-channel range spread {spreadBefore[i]:g3} → {after:g3}");
        }
    }

    [Theory]
    [InlineData(ActivationKind.HardSwish)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Clip)]
    public void NonHomogeneousActivationBlocksThePair(ActivationKind act)
    {
        var g = new EdgeGraph(seed: 3);
        var x = g.Input("x", 1, 8, 8, 4);
        var first = act == ActivationKind.Clip ? g.Conv(x, 8, 3, act, alpha: 0, beta: 6) : g.Conv(x, 8, 3, act);
        var second = g.Conv(first.Outputs[0], 8, 1);
        g.Output(second.Outputs[0]);
        var w1 = first.Inputs[1];
        var w2 = second.Inputs[1];
        var summary = new CrossLayerEqualizationPass().Equalize(g.Graph);
        Assert.Empty(summary.Pairs);
        Assert.Same(w1, first.Inputs[1]);
        Assert.Same(w2, second.Inputs[1]);
    }

    [Fact]
    public void OutputWithSeveralReadersOrGraphOutputIsLeftAlone()
    {
        var g = new EdgeGraph(seed: 4);
        var x = g.Input("x", 1, 8, 8, 4);
        var shared = g.Conv(x, 8, 3, ActivationKind.Relu);
        var left = g.Conv(shared.Outputs[0], 8, 1);
        var right = g.Conv(shared.Outputs[0], 8, 1);
        var exposed = g.Conv(left.Outputs[0], 8, 1, ActivationKind.Relu);
        var last = g.Conv(exposed.Outputs[0], 8, 1);
        g.Output(right.Outputs[0], exposed.Outputs[0], last.Outputs[0]);
        var weights = new[] { shared, left, right, exposed, last }.Select(n => n.Inputs[1]).ToArray();
        var summary = new CrossLayerEqualizationPass().Equalize(g.Graph);
        Assert.Equal([(left.Name, exposed.Name)], summary.Pairs);
        Assert.Same(weights[0], shared.Inputs[1]);
        Assert.Same(weights[2], right.Inputs[1]);
        Assert.Same(weights[4], last.Inputs[1]);
        Assert.NotSame(weights[1], left.Inputs[1]);
    }

    [Fact]
    public void ReaderThatIsNoLayerBlocksThePair()
    {
        var g = new EdgeGraph(seed: 5);
        var x = g.Input("x", 1, 4, 4, 4);
        var first = g.Conv(x, 8, 1, ActivationKind.Relu);
        var pooled = g.MaxPool(first.Outputs[0], 2);
        g.Output(g.Conv(pooled, 8, 1).Outputs[0]);
        Assert.Empty(new CrossLayerEqualizationPass().Equalize(g.Graph).Pairs);
    }
}
