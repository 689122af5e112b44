using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

public sealed class QuantizationPreparationTests
{
    [Fact]
    public void NonClampActivationsAreSplitIntoAUnaryAfterTheirOp()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 6, 6, 3);
        var conv = g.Conv(x, 4, 3, ActivationKind.HardSwish);
        var fc = g.FullyConnected(g.Reshape(conv.Outputs[0], 1, 144), 5, ActivationKind.Sigmoid);
        var leaky = g.Conv(x, 4, 1, ActivationKind.LeakyRelu, alpha: 0.2f);
        var y = fc.Outputs[0];
        g.Output(y, leaky.Outputs[0]);

        Assert.Equal(3, QuantizationPreparation.Prepare(g.Graph));

        Assert.Equal(ActivationKind.None, conv.Activation());
        Assert.False(conv.HasParam(ParamKey.Activation));
        var hardSwish = g.Graph.ConsumersOf(conv.Outputs[0]).Single();
        Assert.True(hardSwish.Is(OpCode.Unary));
        Assert.Equal(ActivationKind.HardSwish, hardSwish.Activation());
        Assert.EndsWith("_preact", conv.Outputs[0].Name);

        // The graph output keeps its value (and name); the op now writes the pre-activation.
        Assert.Same(y, g.Graph.Outputs[0]);
        var sigmoid = y.Producer!;
        Assert.True(sigmoid.Is(OpCode.Unary));
        Assert.Equal(ActivationKind.Sigmoid, sigmoid.Activation());
        Assert.Same(fc.Outputs[0], sigmoid.Input(0));

        var leakyUnary = g.Graph.Outputs[1].Producer!;
        Assert.Equal(ActivationKind.LeakyRelu, leakyUnary.Activation());
        Assert.Equal(0.2f, leakyUnary.Float(ParamKey.Alpha, 0));
        Assert.False(leaky.HasParam(ParamKey.Alpha));
        g.Graph.Validate();
    }

    [Fact]
    public void ClampsStayFused()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 6, 6, 3);
        var relu = g.Conv(x, 4, 3, ActivationKind.Relu);
        var relu6 = g.Conv(relu.Outputs[0], 4, 3, ActivationKind.Clip, alpha: 0f, beta: 6f);
        var add = g.Binary(BinaryKind.Add, relu.Outputs[0], relu6.Outputs[0], ActivationKind.Relu);
        g.Output(add.Outputs[0]);
        int nodes = g.Graph.Nodes.Count;

        Assert.Equal(0, QuantizationPreparation.Prepare(g.Graph));
        Assert.Equal(nodes, g.Graph.Nodes.Count);
        Assert.Equal(ActivationKind.Clip, relu6.Activation());
    }

    [Fact]
    public void ClipThatExcludesZeroIsSplit()
    {
        // Clip(1, 5) lifts values to 1; widening the output range to hold 0 would lose that floor.
        var g = new EdgeGraph();
        var conv = g.Conv(g.Input("x", 1, 4, 4, 2), 3, 1, ActivationKind.Clip, alpha: 1f, beta: 5f);
        g.Output(conv.Outputs[0]);
        Assert.Equal(1, QuantizationPreparation.Prepare(g.Graph));
        var clip = g.Graph.Outputs[0].Producer!;
        Assert.Equal(ActivationKind.Clip, clip.Activation());
        Assert.Equal(1f, clip.Float(ParamKey.Alpha, 0));
        Assert.Equal(5f, clip.Float(ParamKey.Beta, 0));
    }

    [Fact]
    public void OpsWithoutInt8VariantKeepTheirActivation()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 4);
        var div = g.Binary(BinaryKind.Div, x, EdgeGraph.Constant("d", [4], [1, 2, 3, 4]), ActivationKind.Sigmoid);
        g.Output(div.Outputs[0]);
        Assert.Equal(0, QuantizationPreparation.Prepare(g.Graph));
        Assert.Equal(ActivationKind.Sigmoid, div.Activation());
    }

    [Fact]
    public void SecondRunChangesNothing()
    {
        var g = new EdgeGraph();
        var conv = g.Conv(g.Input("x", 1, 4, 4, 2), 3, 3, ActivationKind.Tanh);
        g.Output(conv.Outputs[0]);
        Assert.Equal(1, QuantizationPreparation.Prepare(g.Graph));
        var names = g.Graph.Nodes.Select(n => n.Name).ToList();
        Assert.Equal(0, QuantizationPreparation.Prepare(g.Graph));
        Assert.Equal(names, g.Graph.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void FloatResultsAreUnchanged()
    {
        EdgeGraph Build()
        {
            var g = new EdgeGraph(seed: 5);
            var x = g.Input("x", 1, 8, 8, 3);
            var h = g.Conv(x, 8, 3, ActivationKind.HardSwish).Outputs[0];
            h = g.Conv(h, 8, 3, ActivationKind.HardSigmoid, group: 8, alpha: 0.2f, beta: 0.5f).Outputs[0];
            h = g.Binary(BinaryKind.Mul, h, h, ActivationKind.Tanh).Outputs[0];
            g.Output(g.FullyConnected(g.Reshape(h, 1, 512), 4, ActivationKind.Sigmoid).Outputs[0]);
            return g;
        }
        var fused = Build();
        var split = Build();
        Assert.Equal(4, QuantizationPreparation.Prepare(split.Graph));

        var sample = MinMaxRanges.RandomSamples(9, 1, 192, 2f)[0];
        var a = new float[4];
        var b = new float[4];
        new Session(GraphLowering.Lower(fused.Graph)).Run(sample, a);
        new Session(GraphLowering.Lower(split.Graph)).Run(sample, b);
        Assert.Equal(a, b);
    }
}
