using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Linear Resize joins int8 regions with its input's quantization (as nearest does), up to two resized axes.</summary>
public sealed class ResizeLinearQuantizationTests
{
    private static Value Resize(EdgeGraph g, Value x, int[] outShape, float[] scales, string name)
    {
        var y = new Value($"{name}_out", ElementType.Float32, outShape);
        var node = EdgeOps.Create(OpCode.Resize, name, [x], [y])
            .SetParam(ParamKey.Mode, (int)ResizeMode.Linear)
            .SetParam(ParamKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel)
            .SetParam(ParamKey.Scales, scales);
        g.Graph.AddNode(node);
        return y;
    }

    [Fact]
    public void Bilinear_upsampling_between_convs_runs_int8_and_follows_float()
    {
        var g = new EdgeGraph(seed: 8);
        var x = g.Input("x", 1, 6, 6, 3);
        var h = g.Conv(x, 4, 3, ActivationKind.Relu).Outputs[0];
        var up = Resize(g, h, [1, 12, 12, 4], [1f, 2f, 2f, 1f], "up");
        g.Output(g.Conv(up, 2, 3).Outputs[0]);
        var p = QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(2, 8, 108, 1f));

        var decision = p.Result.Nodes.Single(n => n.Name == "up");
        Assert.True(decision.Int8, decision.Reason);
        Assert.Equal(Int8Role.ScalePreserving, decision.Role);
        Assert.Equal(0, p.Result.FloatNodeCount);
        var resize = p.Int8.Ops.Single(op => op.Code == OpCode.Resize);
        var (input, output) = (p.Int8.Tensors[resize.Inputs[0]], p.Int8.Tensors[resize.Outputs[0]]);
        Assert.Equal(DataType.Int8, output.Type);
        Assert.Equal(input.Quant, output.Quant);

        foreach (var sample in MinMaxRanges.RandomSamples(9, 4, 108, 1f))
        {
            var expected = QuantizedPipeline.RunFirstOutput(new Session(p.Float), sample);
            var actual = QuantizedPipeline.RunFirstOutput(new Session(p.Int8), sample);
            Assert.True(QuantizedPipeline.Cosine(expected, actual) > 0.999, $"cosine {QuantizedPipeline.Cosine(expected, actual):F5}");
        }
    }

    [Fact]
    public void Three_resized_axes_stay_float_with_the_reason()
    {
        var g = new EdgeGraph(seed: 3);
        var x = g.Input("x", 1, 4, 4, 2);
        var h = g.Conv(x, 2, 1).Outputs[0];
        var up = Resize(g, h, [2, 8, 8, 2], [2f, 2f, 2f, 1f], "up3");
        g.Output(up);
        var p = QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(2, 4, 32, 1f));
        var decision = p.Result.Nodes.Single(n => n.Name == "up3");
        Assert.False(decision.Int8);
        Assert.Contains("at most two axes, this one resizes 3", decision.Reason);
    }
}
