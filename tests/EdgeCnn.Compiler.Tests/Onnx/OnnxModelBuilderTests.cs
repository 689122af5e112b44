using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;

namespace EdgeCnn.Compiler.Tests.Onnx;

public class OnnxModelBuilderTests
{
    [Fact]
    public void Built_model_round_trips_through_the_importer()
    {
        var weights = OnnxTestModels.Sequence(4 * 3 * 3 * 3, -1f, 0.01f);
        var b = new OnnxModelBuilder(opset: 13, graphName: "tiny");
        b.AddInput("x", [1, 3, 8, 8]);
        b.AddInitializer("w", [4, 3, 3, 3], weights);
        b.AddInitializer("bias", [4], [0.5f, -0.5f, 1f, 2f]);
        b.AddNode("Conv", ["x", "w", "bias"], ["c"], name: "conv")
            .Attr("pads", [1L, 1, 1, 1]).Attr("strides", [1L, 1]);
        b.AddNode("LeakyRelu", ["c"], ["y"]).Attr("alpha", 0.2f);
        b.AddOutput("y", [1, 4, 8, 8]);

        var g = OnnxTestModels.Import(b);

        Assert.Equal("tiny", g.Name);
        Assert.Equal(13, g.Opset);
        Assert.Equal(["Conv", "LeakyRelu"], g.Nodes.Select(n => n.OpType));
        var conv = g.Nodes[0];
        Assert.Equal("conv", conv.Name);
        Assert.Equal([1L, 1, 1, 1], conv.GetInts("pads"));
        Assert.Equal(weights, conv.Inputs[1]!.Constant!.Floats);
        Assert.Equal([4, 3, 3, 3], conv.Inputs[1]!.Shape);
        Assert.Equal([0.5f, -0.5f, 1f, 2f], conv.Inputs[2]!.Constant!.Floats);
        Assert.Equal("LeakyRelu_0", g.Nodes[1].Name);
        Assert.Equal(0.2f, g.Nodes[1].GetFloat("alpha", 0f));
        Assert.Equal([1, 4, 8, 8], g.Outputs[0].Shape);
        Assert.Equal(ElementType.Float32, g.Outputs[0].Type);
    }

    [Fact]
    public void Writes_every_attribute_kind_and_the_opset_and_ir_version()
    {
        var b = new OnnxModelBuilder(opset: 17);
        b.AddInput("x", [1, 2]);
        b.AddNode("Custom", ["x"], ["y"], name: "n", domain: "my.domain")
            .Attr("i", 7L).Attr("f", 1.5f).Attr("s", "text").Attr("ints", [1L, -2])
            .Attr("floats", [0.25f]).Attr("strings", ["a", "b"])
            .Attr("t", TensorData.FromLongs([2], [3, 4]))
            .Attr("i", 8L); // a repeated name replaces the earlier value
        b.AddOpset("my.domain", 1);
        b.AddOutput("y");

        var model = ModelProto.Parser.ParseFrom(b.ToBytes());

        Assert.Equal(8, model.IrVersion);
        Assert.Contains(model.OpsetImport, o => o.Domain == "" && o.Version == 17);
        Assert.Contains(model.OpsetImport, o => o.Domain == "my.domain" && o.Version == 1);
        var node = Assert.Single(model.Graph.Node);
        Assert.Equal("my.domain", node.Domain);
        var attrs = node.Attribute.ToDictionary(a => a.Name);
        Assert.Equal(7, attrs.Count);
        Assert.Equal(8, attrs["i"].I);
        Assert.Equal(AttributeProto.Types.AttributeType.Int, attrs["i"].Type);
        Assert.Equal(1.5f, attrs["f"].F);
        Assert.Equal("text", attrs["s"].S.ToStringUtf8());
        Assert.Equal([1L, -2], attrs["ints"].Ints);
        Assert.Equal([0.25f], attrs["floats"].Floats);
        Assert.Equal(["a", "b"], attrs["strings"].Strings.Select(s => s.ToStringUtf8()));
        Assert.Equal((int)ElementType.Int64, attrs["t"].T.DataType);
        Assert.Equal([2L], attrs["t"].T.Dims);
    }

    [Fact]
    public void Negative_dims_are_written_as_named_dynamic_dims()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [-1, 3, -1, -1], dimNames: ["batch", "", "height"]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");

        var dims = ModelProto.Parser.ParseFrom(b.ToBytes()).Graph.Input[0].Type.TensorType.Shape.Dim;

        Assert.Equal("batch", dims[0].DimParam);
        Assert.Equal(3, dims[1].DimValue);
        Assert.Equal("height", dims[2].DimParam);
        Assert.Equal("d3", dims[3].DimParam);
    }

    [Fact]
    public void Save_writes_the_same_bytes_as_ToBytes()
    {
        var b = new OnnxModelBuilder(opset: 11);
        b.AddInput("x", [2, 2]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");
        var path = Path.Combine(Path.GetTempPath(), $"edgecnn-builder-{Guid.NewGuid():N}.onnx");
        try
        {
            b.Save(path);
            Assert.Equal(b.ToBytes(), File.ReadAllBytes(path));
            Assert.Equal(11, ModelCompiler.Import(path).Opset);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Onnx_runtime_accepts_the_built_model()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 4]);
        b.AddInitializer("k", [4], [1f, 2f, 3f, 4f]);
        b.AddNode("Mul", ["x", "k"], ["y"]);
        b.AddOutput("y", [1, 4]);

        using var ort = OnnxRuntime.OrtReference.FromBytes(b.ToBytes());
        var y = ort.Run([("x", [1f, 1f, 2f, -1f], [1, 4])])[0];

        Assert.Equal([1f, 2f, 6f, -4f], y);
    }
}
