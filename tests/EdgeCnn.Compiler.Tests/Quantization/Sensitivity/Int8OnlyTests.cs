using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization.Sensitivity;

/// <summary><see cref="QuantizerOptions.Int8Only"/>: the quantizer's mode for one node at a time.</summary>
public sealed class Int8OnlyTests
{
    [Fact]
    public void An_add_between_float_convs_runs_int8_on_its_own_with_both_inputs_quantized()
    {
        var g = new EdgeGraph(seed: 5);
        var x = g.Input("x", 1, 6, 6, 4);
        var a = g.Conv(x, 4, 3).Outputs[0];
        var b = g.Conv(x, 4, 1).Outputs[0];
        var add = g.Binary(BinaryKind.Add, a, b);
        g.Output(g.Conv(add.Outputs[0], 2, 1).Outputs[0]);
        var p = QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(1, 4, 144, 1f), new QuantizerOptions { Int8Only = [add.Name] });

        Assert.Equal([add.Name], p.Result.Nodes.Where(n => n.Int8).Select(n => n.Name));
        Assert.All(p.Result.Nodes.Where(n => !n.Int8), n => Assert.Equal("not among the nodes quantized alone", n.Reason));
        Assert.Equal(2, p.Result.QuantizeCount);
        Assert.Equal(1, p.Result.DequantizeCount);
        Assert.Contains(p.Int8.Ops, op => op.Code == OpCode.Binary && p.Int8.Tensors[op.Outputs[0]].Type == DataType.Int8);
    }

    [Fact]
    public void An_unknown_node_name_is_an_argument_error_naming_it()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 4, 4, 2);
        g.Output(g.Conv(x, 2, 1).Outputs[0]);
        var ex = Assert.Throws<ArgumentException>(() =>
            QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(1, 2, 32, 1f), new QuantizerOptions { Int8Only = ["nope"] }));
        Assert.Contains("'nope'", ex.Message);
    }
}
