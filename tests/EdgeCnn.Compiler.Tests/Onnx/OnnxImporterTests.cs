using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Tests.Onnx;

public class OnnxImporterTests
{
    [Fact]
    public void Constant_nodes_provide_weights_in_every_attribute_form()
    {
        var b = new OnnxModelBuilder(opset: 11);
        b.AddInput("x", [1, 2, 4, 4]);
        b.AddConstant("w", TensorData.FromFloats([3, 2, 1, 1], [1, 2, 3, 4, 5, 6]));
        b.AddNode("Constant", [], ["bias"]).Attr("value_floats", [0.1f, 0.2f, 0.3f]);
        b.AddNode("Constant", [], ["scale"]).Attr("value_float", 2f);
        b.AddNode("Constant", [], ["shape"]).Attr("value_ints", [1L, -1]);
        b.AddNode("Constant", [], ["one"]).Attr("value_int", 1L);
        b.AddNode("Conv", ["x", "w", "bias"], ["c"]);
        b.AddNode("Mul", ["c", "scale"], ["m"]);
        b.AddNode("Reshape", ["m", "shape"], ["y"]);
        b.AddOutput("y");
        b.AddOutput("one");

        var g = OnnxTestModels.Import(b);

        Assert.DoesNotContain(g.Nodes, n => n.OpType == "Constant");
        var conv = g.Nodes.Single(n => n.OpType == "Conv");
        Assert.Equal([1f, 2, 3, 4, 5, 6], conv.Inputs[1]!.Constant!.Floats);
        Assert.Equal([0.1f, 0.2f, 0.3f], conv.Inputs[2]!.Constant!.Floats);
        Assert.Equal([], g.Nodes.Single(n => n.OpType == "Mul").Inputs[1]!.Shape);
        Assert.Equal([1, 48], g.Outputs[0].Shape);
        Assert.Equal(1L, g.Outputs[1].Constant!.Longs![0]);
        Assert.Equal(ElementType.Int64, g.Outputs[1].Type);
    }

    [Fact]
    public void Sparse_and_string_constants_are_unsupported()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1]);
        b.AddNode("Constant", [], ["s"], name: "label").Attr("value_strings", ["a"]);
        b.AddNode("Identity", ["x"], ["y"]);
        b.AddOutput("y");

        var ex = Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(b));
        Assert.Equal("Constant", ex.OpType);
        Assert.Equal("label", ex.NodeName);
    }

    [Fact]
    public void Shape_chain_folds_to_a_constant_reshape_shape()
    {
        // The exporter pattern: y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])).
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [-1, 3, 4, 5]);
        b.AddInitializer("zero", [], [0L]);
        b.AddInitializer("axes0", [1], [0L]);
        b.AddInitializer("minus1", [1], [-1L]);
        b.AddNode("Shape", ["x"], ["s"]);
        b.AddNode("Gather", ["s", "zero"], ["n"]).Attr("axis", 0L);
        b.AddNode("Unsqueeze", ["n", "axes0"], ["n1"]);
        b.AddNode("Concat", ["n1", "minus1"], ["target"]).Attr("axis", 0L);
        b.AddNode("Reshape", ["x", "target"], ["y"], name: "flatten");
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b, new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [2, 3, 4, 5] } });

        var reshape = Assert.Single(g.Nodes);
        Assert.Equal("flatten", reshape.Name);
        Assert.Equal([2L, -1], reshape.Inputs[1]!.Constant!.Longs);
        Assert.Equal([2, 60], g.Outputs[0].Shape);
    }

    [Fact]
    public void Float_weight_math_folds_and_keeps_the_runtime_path()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 3]);
        b.AddInitializer("w", [3], [1f, 4f, 9f]);
        b.AddInitializer("two", [], [2f]);
        b.AddNode("Sqrt", ["w"], ["r"]);
        b.AddNode("Mul", ["r", "two"], ["k"]);
        b.AddNode("Add", ["x", "k"], ["y"]);
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b);

        var add = Assert.Single(g.Nodes);
        Assert.Equal([2f, 4f, 6f], add.Inputs[1]!.Constant!.Floats);
    }

    [Fact]
    public void Dynamic_dims_bind_from_input_shapes_and_the_batch_dim_defaults_to_one()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [-1, 3, -1, -1], dimNames: ["N", "", "H", "W"]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");

        var bound = OnnxTestModels.Import(b, new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [2, 3, 48, 192] } });
        Assert.Equal([2, 3, 48, 192], bound.Inputs[0].Shape);
        Assert.Equal([2, 3, 48, 192], bound.Outputs[0].Shape);

        var b2 = new OnnxModelBuilder(opset: 13);
        b2.AddInput("x", [-1, 3, 32, 32]);
        b2.AddNode("Relu", ["x"], ["y"]);
        b2.AddOutput("y");
        Assert.Equal([1, 3, 32, 32], OnnxTestModels.Import(b2).Inputs[0].Shape);
    }

    [Fact]
    public void Unbound_inner_dynamic_dim_is_an_error_naming_input_dim_and_the_fix()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [-1, 3, -1, -1], dimNames: ["N", "", "H", "W"]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");

        var ex = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b));

        Assert.Contains("graph input 'x'", ex.Message);
        Assert.Contains("dim 2 ('H')", ex.Message);
        Assert.Contains("--input-shape x=1,3,<H>,<W>", ex.Message);
    }

    [Fact]
    public void Input_shape_of_the_wrong_rank_or_conflicting_with_a_fixed_dim_is_an_error()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [-1, 3, 8]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");

        var rank = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b, Shapes("x", [1, 3, 8, 8])));
        Assert.Contains("rank 4", rank.Message);
        var fixedDim = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b, Shapes("x", [1, 4, 8])));
        Assert.Contains("dim 1 is fixed to 3", fixedDim.Message);
        var unknown = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b, Shapes("image", [1, 3, 8])));
        Assert.Contains("'image'", unknown.Message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(22)]
    public void Opset_outside_9_to_21_is_a_clear_error(int opset)
    {
        var b = new OnnxModelBuilder(opset);
        b.AddInput("x", [1]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");

        var ex = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b));

        Assert.Contains($"opset {opset} is not supported", ex.Message);
        Assert.Contains("9–21", ex.Message);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(21)]
    public void Opset_bounds_are_accepted_and_recorded(int opset)
    {
        var b = new OnnxModelBuilder(opset);
        b.AddInput("x", [1]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");

        Assert.Equal(opset, OnnxTestModels.Import(b).Opset);
    }

    [Fact]
    public void Unsupported_op_names_op_type_node_and_opset()
    {
        var b = new OnnxModelBuilder(opset: 14);
        b.AddInput("x", [1, 4]);
        b.AddNode("Relu", ["x"], ["r"]);
        b.AddNode("Einsum", ["r"], ["y"], name: "mix").Attr("equation", "ij->ji");
        b.AddOutput("y");

        var ex = Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(b));

        Assert.Equal("Einsum", ex.OpType);
        Assert.Equal("mix", ex.NodeName);
        Assert.Equal(14, ex.Opset);
        Assert.Contains("Einsum", ex.Message);
        Assert.Contains("'mix'", ex.Message);
        Assert.Contains("opset 14", ex.Message);
    }

    [Fact]
    public void Anonymous_unsupported_node_is_named_after_its_op_and_index()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 4]);
        b.AddNode("Relu", ["x"], ["r"], name: "");
        b.AddNode("TopK", ["r", "k"], ["y", "i"], name: "");
        b.AddInitializer("k", [1], [2L]);
        b.AddOutput("y");

        var ex = Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(b));
        Assert.Equal("TopK_1", ex.NodeName);
    }

    [Fact]
    public void Helper_ops_on_runtime_data_are_unsupported_but_fold_on_constants()
    {
        var runtime = new OnnxModelBuilder(opset: 13);
        runtime.AddInput("x", [2, 3]);
        runtime.AddInitializer("zero", [], [0f]);
        runtime.AddNode("Greater", ["x", "zero"], ["y"], name: "positive");
        runtime.AddOutput("y");
        var ex = Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(runtime));
        Assert.Contains("compile-time constant", ex.Message);

        var folded = new OnnxModelBuilder(opset: 13);
        folded.AddInput("x", [2, 3]);
        folded.AddInitializer("a", [3], [-1f, 0f, 2f]);
        folded.AddInitializer("zero", [], [0f]);
        folded.AddInitializer("one", [], [1f]);
        folded.AddNode("Greater", ["a", "zero"], ["mask"]);
        folded.AddNode("Where", ["mask", "a", "one"], ["w"]);
        folded.AddNode("Mul", ["x", "w"], ["y"]);
        folded.AddOutput("y");
        var g = OnnxTestModels.Import(folded);
        Assert.Equal([1f, 1f, 2f], Assert.Single(g.Nodes).Inputs[1]!.Constant!.Floats);
    }

    [Fact]
    public void Other_domains_are_unsupported()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddOpset("com.microsoft", 1);
        b.AddInput("x", [1, 4]);
        b.AddNode("FusedGemm", ["x"], ["y"], name: "fg", domain: "com.microsoft");
        b.AddOutput("y");

        var ex = Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(b));
        Assert.Contains("com.microsoft", ex.Message);
        Assert.Equal("fg", ex.NodeName);
    }

    [Fact]
    public void Runtime_input_where_a_constant_is_required_is_unsupported_naming_the_input()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [2, 6]);
        b.AddInput("shape", [2]);
        b.AddNode("Reshape", ["x", "shape"], ["y"], name: "r");
        b.AddOutput("y");

        var ex = Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(b));
        Assert.Contains("input 1 ('shape')", ex.Message);
    }

    [Fact]
    public void Constant_inputs_option_turns_graph_inputs_into_constants()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [2, 6]);
        b.AddInput("indices", [2], ElementType.Int64);
        b.AddNode("Gather", ["x", "indices"], ["y"]).Attr("axis", 1L);
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b, new ImportOptions
        {
            ConstantInputs = new Dictionary<string, TensorData> { ["indices"] = OnnxTestModels.Longs(5, -1) },
        });

        Assert.Equal(["x"], g.Inputs.Select(i => i.Name));
        Assert.Equal([5L, -1], g.Nodes[0].Inputs[1]!.Constant!.Longs);
        Assert.Equal([2, 2], g.Outputs[0].Shape);
    }

    [Fact]
    public void Non_float_runtime_input_is_an_error_suggesting_a_constant()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [2], ElementType.Int64);
        b.AddNode("Identity", ["x"], ["y"]);
        b.AddOutput("y", type: ElementType.Int64);

        var ex = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b));
        Assert.Contains("graph input 'x'", ex.Message);
        Assert.Contains("float32", ex.Message);
    }

    [Fact]
    public void Graph_inputs_that_are_initializers_are_constants()
    {
        var b = new OnnxModelBuilder(opset: 9);
        b.AddInput("x", [1, 2]);
        b.AddInput("k", [2]);
        b.AddInitializer("k", [2], [3f, 4f]);
        b.AddNode("Mul", ["x", "k"], ["y"]);
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b);

        Assert.Equal(["x"], g.Inputs.Select(i => i.Name));
        Assert.True(g.Nodes[0].Inputs[1]!.IsConstant);
    }

    [Fact]
    public void Nodes_out_of_order_are_sorted_and_dangling_reads_are_named()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 2]);
        b.AddNode("Sigmoid", ["r"], ["y"], name: "second");
        b.AddNode("Relu", ["x"], ["r"], name: "first");
        b.AddOutput("y");
        Assert.Equal(["first", "second"], OnnxTestModels.Import(b).Nodes.Select(n => n.Name));

        var dangling = new OnnxModelBuilder(opset: 13);
        dangling.AddInput("x", [1, 2]);
        dangling.AddNode("Add", ["x", "ghost"], ["y"], name: "adder");
        dangling.AddOutput("y");
        var ex = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(dangling));
        Assert.Contains("'adder'", ex.Message);
        Assert.Contains("'ghost'", ex.Message);

        var cycle = new OnnxModelBuilder(opset: 13);
        cycle.AddInput("x", [1, 2]);
        cycle.AddNode("Add", ["x", "b"], ["a"]);
        cycle.AddNode("Relu", ["a"], ["b"]);
        cycle.AddOutput("b");
        Assert.Contains("cycle", Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(cycle)).Message);
    }

    [Fact]
    public void Every_value_has_a_shape_and_type_and_the_graph_validates()
    {
        var b = new OnnxModelBuilder(opset: 14);
        b.AddInput("x", [1, 3, 16, 16]);
        b.AddInitializer("w", [8, 3, 3, 3], OnnxTestModels.Random(8 * 27, 1));
        b.AddInitializer("g", [8], OnnxTestModels.Random(8, 2));
        b.AddInitializer("s", [8], OnnxTestModels.Random(8, 3));
        b.AddInitializer("m", [8], OnnxTestModels.Random(8, 4));
        b.AddInitializer("v", [8], Enumerable.Repeat(1f, 8).ToArray());
        b.AddNode("Conv", ["x", "w"], ["c"]).Attr("strides", [2L, 2]).Attr("auto_pad", "SAME_UPPER");
        b.AddNode("BatchNormalization", ["c", "g", "s", "m", "v"], ["bn"]);
        b.AddNode("HardSwish", ["bn"], ["h"]);
        b.AddNode("GlobalAveragePool", ["h"], ["p"]);
        b.AddNode("Flatten", ["p"], ["f"]);
        b.AddNode("Softmax", ["f"], ["y"]);
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b);

        g.Validate();
        foreach (var v in g.AllValues())
        {
            Assert.NotNull(v.Shape);
            Assert.NotEqual(ElementType.Undefined, v.Type);
        }
        Assert.Equal([1, 8, 8, 8], g.Nodes[0].Outputs[0].Shape);
        Assert.Equal([1, 8], g.Outputs[0].Shape);
    }

    [Fact]
    public void Trailing_absent_optional_outputs_are_dropped()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 4]);
        b.AddNode("Dropout", ["x"], ["y", ""]);
        b.AddOutput("y");

        var node = Assert.Single(OnnxTestModels.Import(b).Nodes);
        Assert.Single(node.Outputs);
    }

    [Fact]
    public void Unsupported_attribute_values_are_reported_with_detail()
    {
        var cubic = new OnnxModelBuilder(opset: 13);
        cubic.AddInput("x", [1, 1, 4, 4]);
        cubic.AddInitializer("scales", [4], [1f, 1f, 2f, 2f]);
        cubic.AddNode("Resize", ["x", "", "scales"], ["y"], name: "up").Attr("mode", "cubic");
        cubic.AddOutput("y");
        Assert.Contains("mode 'cubic'", Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(cubic)).Message);

        var wrap = new OnnxModelBuilder(opset: 19);
        wrap.AddInput("x", [1, 1, 4, 4]);
        wrap.AddInitializer("pads", [8], [0L, 0, 1, 1, 0, 0, 1, 1]);
        wrap.AddNode("Pad", ["x", "pads"], ["y"]).Attr("mode", "wrap");
        wrap.AddOutput("y");
        Assert.Contains("mode 'wrap'", Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(wrap)).Message);

        var lp = new OnnxModelBuilder(opset: 13);
        lp.AddInput("x", [1, 1, 4, 4]);
        lp.AddNode("LpPool", ["x"], ["y"]).Attr("kernel_shape", [2L, 2]).Attr("p", 3L);
        lp.AddOutput("y");
        Assert.Contains("p = 3", Assert.Throws<UnsupportedOperatorException>(() => OnnxTestModels.Import(lp)).Message);

        var lp2 = new OnnxModelBuilder(opset: 13);
        lp2.AddInput("x", [1, 1, 4, 4]);
        lp2.AddNode("LpPool", ["x"], ["y"]).Attr("kernel_shape", [2L, 2]).Attr("p", 1L);
        lp2.AddOutput("y");
        Assert.Equal([1, 1, 3, 3], OnnxTestModels.Import(lp2).Outputs[0].Shape);
    }

    [Fact]
    public void Bad_node_arguments_raise_OnnxImportException_naming_the_node()
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [2, 6]);
        b.AddInitializer("shape", [2], [5L, -1]);
        b.AddNode("Reshape", ["x", "shape"], ["y"], name: "bad_reshape");
        b.AddOutput("y");

        var ex = Assert.Throws<OnnxImportException>(() => OnnxTestModels.Import(b));
        Assert.Contains("'bad_reshape'", ex.Message);
        Assert.Contains("test.onnx", ex.Message);
    }

    private static ImportOptions Shapes(string name, int[] dims) =>
        new() { InputShapes = new Dictionary<string, int[]> { [name] = dims } };
}
