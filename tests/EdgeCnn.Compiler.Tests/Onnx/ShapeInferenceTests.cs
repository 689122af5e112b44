using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using static EdgeCnn.Compiler.Tests.Onnx.OnnxTestModels;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>Expected shapes are worked out by hand from the ONNX operator specs, e.g. for windows
/// out = ⌊(in + pads − ((k − 1)·d + 1)) / s⌋ + 1.</summary>
public class ShapeInferenceTests
{
    private static int[] Conv(int[] x, int[] w, Action<OnnxModelBuilder.NodeBuilder> attrs, int opset = 13) =>
        OutputShape(opset, x, b =>
        {
            b.AddInitializer("w", w, new float[w.Aggregate(1, (a, d) => a * d)]);
            attrs(b.AddNode("Conv", ["x", "w"], ["y"]));
        });

    [Fact]
    public void Conv_shapes_follow_the_window_formula()
    {
        Assert.Equal([1, 8, 32, 32], Conv([1, 3, 32, 32], [8, 3, 3, 3], n => n.Attr("pads", [1L, 1, 1, 1])));
        Assert.Equal([1, 8, 15, 15], Conv([1, 3, 32, 32], [8, 3, 3, 3], n => n.Attr("strides", [2L, 2])));
        Assert.Equal([1, 8, 28, 28], Conv([1, 3, 32, 32], [8, 3, 3, 3], n => n.Attr("dilations", [2L, 2])));
        Assert.Equal([1, 8, 17, 17], Conv([1, 3, 33, 33], [8, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("auto_pad", "SAME_UPPER")));
        Assert.Equal([1, 8, 17, 17], Conv([1, 3, 33, 33], [8, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("auto_pad", "SAME_LOWER")));
        Assert.Equal([1, 8, 16, 16], Conv([1, 3, 33, 33], [8, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("auto_pad", "VALID")));
        Assert.Equal([1, 8, 8, 8], Conv([1, 8, 10, 10], [8, 1, 3, 3], n => n.Attr("group", 8L)));
        Assert.Equal([1, 16, 8, 8], Conv([1, 8, 10, 10], [16, 1, 3, 3], n => n.Attr("group", 8L)));
        Assert.Equal([1, 4, 10, 10], Conv([1, 2, 10, 10], [4, 2, 1, 5], n => n.Attr("pads", [0L, 2, 0, 2])));
        Assert.Equal([1, 4, 12, 10], Conv([1, 2, 10, 10], [4, 2, 1, 1], n => n.Attr("pads", [2L, 0, 0, 0])));
        Assert.Equal([1, 4, 16], Conv([1, 2, 20], [4, 2, 5], _ => { }));
    }

    [Fact]
    public void Conv_with_inconsistent_channels_is_an_import_error()
    {
        var ex = Assert.Throws<OnnxImportException>(() => Conv([1, 3, 8, 8], [4, 2, 3, 3], _ => { }));
        Assert.Contains("input channels", ex.Message);
    }

    [Fact]
    public void Conv_on_3d_input_is_unsupported()
    {
        Assert.Throws<UnsupportedOperatorException>(() => Conv([1, 1, 4, 4, 4], [1, 1, 2, 2, 2], _ => { }));
    }

    private static int[] Pool(string op, int[] x, Action<OnnxModelBuilder.NodeBuilder> attrs, int opset = 13) =>
        OutputShape(opset, x, b => attrs(b.AddNode(op, ["x"], ["y"])));

    [Fact]
    public void Pool_shapes_with_ceil_mode_pads_dilations_and_auto_pad()
    {
        Assert.Equal([1, 1, 2, 2], Pool("MaxPool", [1, 1, 6, 6], n => n.Attr("kernel_shape", [3L, 3]).Attr("strides", [2L, 2])));
        Assert.Equal([1, 1, 3, 3], Pool("MaxPool", [1, 1, 6, 6], n => n.Attr("kernel_shape", [3L, 3]).Attr("strides", [2L, 2]).Attr("ceil_mode", 1L)));
        // ceil gives 4 windows, but the last would start in the end padding (3·2 = 6 ≥ 5 + 1), so 3 (as PyTorch).
        Assert.Equal([1, 1, 3, 3], Pool("MaxPool", [1, 1, 5, 5], n => n.Attr("kernel_shape", [2L, 2]).Attr("strides", [2L, 2]).Attr("pads", [1L, 1, 1, 1]).Attr("ceil_mode", 1L)));
        Assert.Equal([1, 1, 3, 3], Pool("MaxPool", [1, 1, 7, 7], n => n.Attr("kernel_shape", [3L, 3]).Attr("dilations", [2L, 2])));
        Assert.Equal([1, 1, 4, 4], Pool("AveragePool", [1, 1, 7, 7], n => n.Attr("kernel_shape", [3L, 3]).Attr("strides", [2L, 2]).Attr("auto_pad", "SAME_LOWER")));
        Assert.Equal([1, 1, 3, 3], Pool("AveragePool", [1, 1, 7, 7], n => n.Attr("kernel_shape", [3L, 3]).Attr("strides", [2L, 2]).Attr("auto_pad", "VALID")));
        Assert.Equal([1, 1, 9], Pool("MaxPool", [1, 1, 10], n => n.Attr("kernel_shape", [2L])));
        Assert.Equal([2, 5, 1, 1], Pool("GlobalAveragePool", [2, 5, 7, 9], _ => { }));
        Assert.Equal([2, 5, 1, 1], Pool("GlobalMaxPool", [2, 5, 7, 9], _ => { }));
    }

    private static int[] ConvTranspose(int[] x, int[] w, Action<OnnxModelBuilder.NodeBuilder> attrs) =>
        OutputShape(13, x, b =>
        {
            b.AddInitializer("w", w, new float[w.Aggregate(1, (a, d) => a * d)]);
            attrs(b.AddNode("ConvTranspose", ["x", "w"], ["y"]));
        });

    [Fact]
    public void ConvTranspose_shapes()
    {
        // out = s·(in − 1) + output_padding + ((k − 1)·d + 1) − pads
        Assert.Equal([1, 3, 9, 9], ConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], n => n.Attr("strides", [2L, 2])));
        Assert.Equal([1, 3, 8, 8], ConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("pads", [1L, 1, 1, 1]).Attr("output_padding", [1L, 1])));
        Assert.Equal([1, 3, 11, 11], ConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("dilations", [2L, 2])));
        Assert.Equal([1, 3, 10, 7], ConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("output_shape", [10L, 7])));
        Assert.Equal([1, 3, 8, 8], ConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("auto_pad", "SAME_UPPER")));
        Assert.Equal([1, 6, 9, 9], ConvTranspose([1, 2, 4, 4], [2, 3, 3, 3], n => n.Attr("strides", [2L, 2]).Attr("group", 2L)));
    }

    [Fact]
    public void Gemm_and_MatMul_shapes()
    {
        Assert.Equal([3, 4], OutputShape(13, [5, 3], b =>
        {
            b.AddInitializer("B", [4, 5], new float[20]);
            b.AddInitializer("C", [4], new float[4]);
            b.AddNode("Gemm", ["x", "B", "C"], ["y"]).Attr("transA", 1L).Attr("transB", 1L);
        }));
        Assert.Equal([3], OutputShape(13, [5], b => { b.AddInitializer("B", [5, 3], new float[15]); b.AddNode("MatMul", ["x", "B"], ["y"]); }));
        Assert.Equal([2, 3], OutputShape(13, [2, 3, 4], b => { b.AddInitializer("B", [4], new float[4]); b.AddNode("MatMul", ["x", "B"], ["y"]); }));
        Assert.Equal([2, 5, 3, 6], OutputShape(13, [2, 1, 3, 4], b => { b.AddInitializer("B", [5, 4, 6], new float[120]); b.AddNode("MatMul", ["x", "B"], ["y"]); }));
        Assert.Throws<OnnxImportException>(() => OutputShape(13, [2, 3], b => { b.AddInitializer("B", [4, 2], new float[8]); b.AddNode("MatMul", ["x", "B"], ["y"]); }));
    }

    [Fact]
    public void Broadcasting_is_numpy_multidirectional()
    {
        Assert.Equal([2, 3, 4, 5], OutputShape(13, [2, 1, 4, 1], b => { b.AddInitializer("k", [3, 1, 5], new float[15]); b.AddNode("Add", ["x", "k"], ["y"]); }));
        Assert.Equal([4, 5], OutputShape(13, [4, 5], b =>
        {
            b.AddInitializer("a", [5], new float[5]);
            b.AddInitializer("c", [4, 1], new float[4]);
            b.AddNode("Sum", ["x", "a", "c"], ["y"]);
        }));
        Assert.Throws<OnnxImportException>(() => OutputShape(13, [2, 3], b => { b.AddInitializer("k", [4], new float[4]); b.AddNode("Mul", ["x", "k"], ["y"]); }));
    }

    [Fact]
    public void Slice_reads_attributes_before_opset_10_and_inputs_after()
    {
        Assert.Equal([2, 9], OutputShape(9, [2, 10], b => b.AddNode("Slice", ["x"], ["y"]).Attr("starts", [1L]).Attr("ends", [1000L]).Attr("axes", [1L])));
        // start −1 → 9; end −1000 clamps to −1; step −2 → elements 9, 7, 5, 3, 1.
        Assert.Equal([2, 5], OutputShape(13, [2, 10], b =>
        {
            b.AddInitializer("s", [1], [-1L]);
            b.AddInitializer("e", [1], [-1000L]);
            b.AddInitializer("a", [1], [1L]);
            b.AddInitializer("st", [1], [-2L]);
            b.AddNode("Slice", ["x", "s", "e", "a", "st"], ["y"]);
        }));
        Assert.Equal([0, 10], OutputShape(10, [2, 10], b =>
        {
            b.AddInitializer("s", [1], [5L]);
            b.AddInitializer("e", [1], [2L]);
            b.AddNode("Slice", ["x", "s", "e"], ["y"]);
        }));
    }

    [Fact]
    public void Split_sizes_from_attribute_input_num_outputs_or_equal_parts()
    {
        int[][] Split(int opset, int[] x, Action<OnnxModelBuilder> body, int outputs)
        {
            var b = new OnnxModelBuilder(opset);
            b.AddInput("x", x);
            body(b);
            for (int i = 0; i < outputs; i++) b.AddOutput($"y{i}");
            return Import(b).Outputs.Select(o => o.Shape!).ToArray();
        }
        Assert.Equal([[1, 2], [1, 3]], Split(11, [1, 5], b => b.AddNode("Split", ["x"], ["y0", "y1"]).Attr("axis", 1L).Attr("split", [2L, 3]), 2));
        Assert.Equal([[1, 4], [1, 1]], Split(13, [1, 5], b => { b.AddInitializer("s", [2], [4L, 1]); b.AddNode("Split", ["x", "s"], ["y0", "y1"]).Attr("axis", -1L); }, 2));
        Assert.Equal([[3], [3], [1]], Split(18, [7], b => b.AddNode("Split", ["x"], ["y0", "y1", "y2"]).Attr("num_outputs", 3L), 3));
        Assert.Equal([[2, 2], [2, 2]], Split(13, [4, 2], b => b.AddNode("Split", ["x"], ["y0", "y1"]), 2));
        Assert.Throws<OnnxImportException>(() => Split(13, [5], b => b.AddNode("Split", ["x"], ["y0", "y1"]), 2));
    }

    [Fact]
    public void Squeeze_and_Unsqueeze_axes_move_from_attribute_to_input_at_opset_13()
    {
        Assert.Equal([3, 1], OutputShape(11, [1, 3, 1], b => b.AddNode("Squeeze", ["x"], ["y"]).Attr("axes", [0L])));
        Assert.Equal([1, 3], OutputShape(13, [1, 3, 1], b => { b.AddInitializer("a", [1], [-1L]); b.AddNode("Squeeze", ["x", "a"], ["y"]); }));
        Assert.Equal([3], OutputShape(13, [1, 3, 1], b => b.AddNode("Squeeze", ["x"], ["y"])));
        Assert.Equal([1, 3, 4, 1], OutputShape(13, [3, 4], b => { b.AddInitializer("a", [2], [0L, -1]); b.AddNode("Unsqueeze", ["x", "a"], ["y"]); }));
        Assert.Equal([3, 1, 4], OutputShape(9, [3, 4], b => b.AddNode("Unsqueeze", ["x"], ["y"]).Attr("axes", [1L])));
        Assert.Throws<OnnxImportException>(() => OutputShape(13, [2, 3], b => { b.AddInitializer("a", [1], [0L]); b.AddNode("Squeeze", ["x", "a"], ["y"]); }));
    }

    [Fact]
    public void Reduce_axes_and_keepdims_across_opsets()
    {
        Assert.Equal([1, 3, 1, 1], OutputShape(13, [1, 3, 4, 5], b => b.AddNode("ReduceMean", ["x"], ["y"]).Attr("axes", [2L, 3])));
        Assert.Equal([1, 3, 4], OutputShape(18, [1, 3, 4, 5], b => { b.AddInitializer("a", [1], [-1L]); b.AddNode("ReduceMean", ["x", "a"], ["y"]).Attr("keepdims", 0L); }));
        Assert.Equal([1, 1, 1, 1], OutputShape(13, [1, 3, 4, 5], b => b.AddNode("ReduceMean", ["x"], ["y"])));
        Assert.Equal([1, 3, 4, 5], OutputShape(13, [1, 3, 4, 5], b => b.AddNode("ReduceSum", ["x"], ["y"]).Attr("noop_with_empty_axes", 1L)));
        Assert.Equal([3], OutputShape(11, [1, 3, 4, 5], b => b.AddNode("ReduceSum", ["x"], ["y"]).Attr("axes", [0L, 2, 3]).Attr("keepdims", 0L)));
    }

    [Fact]
    public void Pad_reads_attributes_before_opset_11_and_inputs_with_axes_from_18()
    {
        Assert.Equal([1, 1, 8, 11], OutputShape(9, [1, 1, 5, 5], b => b.AddNode("Pad", ["x"], ["y"]).Attr("pads", [0L, 0, 1, 2, 0, 0, 2, 4])));
        Assert.Equal([1, 1, 8, 11], OutputShape(11, [1, 1, 5, 5], b => { b.AddInitializer("p", [8], [0L, 0, 1, 2, 0, 0, 2, 4]); b.AddNode("Pad", ["x", "p"], ["y"]).Attr("mode", "reflect"); }));
        Assert.Equal([1, 1, 8, 11], OutputShape(18, [1, 1, 5, 5], b =>
        {
            b.AddInitializer("p", [4], [1L, 2, 2, 4]);
            b.AddInitializer("a", [2], [2L, -1]);
            b.AddNode("Pad", ["x", "p", "", "a"], ["y"]).Attr("mode", "edge");
        }));
        Assert.Equal([1, 1, 3, 5], OutputShape(13, [1, 1, 5, 5], b => { b.AddInitializer("p", [8], [0L, 0, -1, 0, 0, 0, -1, 0]); b.AddNode("Pad", ["x", "p"], ["y"]); }));
    }

    [Fact]
    public void Resize_and_Upsample_output_sizes_across_opsets()
    {
        Assert.Equal([1, 3, 8, 12], OutputShape(10, [1, 3, 4, 6], b => { b.AddInitializer("s", [4], [1f, 1f, 2f, 2f]); b.AddNode("Resize", ["x", "s"], ["y"]); }));
        // floor(5 · 0.5) = 2
        Assert.Equal([1, 3, 2, 2], OutputShape(11, [1, 3, 5, 5], b =>
        {
            b.AddInitializer("roi", [0], Array.Empty<float>());
            b.AddInitializer("s", [4], [1f, 1f, 0.5f, 0.5f]);
            b.AddNode("Resize", ["x", "roi", "s"], ["y"]).Attr("mode", "linear");
        }));
        Assert.Equal([1, 3, 7, 9], OutputShape(13, [1, 3, 4, 6], b =>
        {
            b.AddInitializer("sz", [4], [1L, 3, 7, 9]);
            b.AddNode("Resize", ["x", "", "", "sz"], ["y"]).Attr("coordinate_transformation_mode", "align_corners");
        }));
        // not_larger: scale = min(8/4, 8/6) = 4/3 → round(4·4/3) = 5, round(6·4/3) = 8.
        Assert.Equal([1, 3, 5, 8], OutputShape(18, [1, 3, 4, 6], b =>
        {
            b.AddInitializer("sz", [2], [8L, 8]);
            b.AddNode("Resize", ["x", "", "", "sz"], ["y"]).Attr("axes", [2L, 3]).Attr("keep_aspect_ratio_policy", "not_larger");
        }));
        Assert.Equal([1, 1, 4, 6], OutputShape(9, [1, 1, 2, 2], b => { b.AddInitializer("s", [4], [1f, 1f, 2f, 3f]); b.AddNode("Upsample", ["x", "s"], ["y"]); }));
    }

    [Fact]
    public void Resize_args_report_opset_defaults()
    {
        var b = new OnnxModelBuilder(10);
        b.AddInput("x", [1, 1, 2, 2]);
        b.AddInitializer("s", [4], [1f, 1f, 2f, 2f]);
        b.AddNode("Resize", ["x", "s"], ["y"]);
        b.AddOutput("y");
        var g = Import(b);
        var args = ResizeArgs.Read(g.Nodes[0], g.Opset, [1, 1, 2, 2]);
        Assert.Equal(("nearest", "asymmetric", "floor"), (args.Mode, args.CoordinateMode, args.NearestMode));
        Assert.Equal([1f, 1f, 2f, 2f], args.Scales);

        var b13 = new OnnxModelBuilder(13);
        b13.AddInput("x", [1, 1, 2, 2]);
        b13.AddInitializer("sz", [4], [1L, 1, 3, 5]);
        b13.AddNode("Resize", ["x", "", "", "sz"], ["y"]);
        b13.AddOutput("y");
        var g13 = Import(b13);
        var a13 = ResizeArgs.Read(g13.Nodes[0], g13.Opset, [1, 1, 2, 2]);
        Assert.Equal(("half_pixel", "round_prefer_floor"), (a13.CoordinateMode, a13.NearestMode));
        Assert.Equal([1f, 1f, 1.5f, 2.5f], a13.Scales);
    }

    [Fact]
    public void Movement_ops()
    {
        Assert.Equal([6, 20], OutputShape(13, [2, 3, 4, 5], b => b.AddNode("Flatten", ["x"], ["y"]).Attr("axis", 2L)));
        Assert.Equal([24, 5], OutputShape(13, [2, 3, 4, 5], b => b.AddNode("Flatten", ["x"], ["y"]).Attr("axis", -1L)));
        Assert.Equal([1, 120], OutputShape(13, [2, 3, 4, 5], b => b.AddNode("Flatten", ["x"], ["y"]).Attr("axis", 0L)));
        Assert.Equal([1, 2, 6, 6], OutputShape(13, [1, 8, 3, 3], b => b.AddNode("DepthToSpace", ["x"], ["y"]).Attr("blocksize", 2L).Attr("mode", "CRD")));
        Assert.Equal([1, 8, 3, 3], OutputShape(13, [1, 2, 6, 6], b => b.AddNode("SpaceToDepth", ["x"], ["y"]).Attr("blocksize", 2L)));
        Assert.Equal([3, 2, 2, 4], OutputShape(13, [3, 5, 4], b => { b.AddInitializer("i", [2, 2], [0L, 1, -1, 4]); b.AddNode("Gather", ["x", "i"], ["y"]).Attr("axis", 1L); }));
        Assert.Equal([3, 4], OutputShape(13, [3, 5, 4], b => { b.AddInitializer("i", [], [2L]); b.AddNode("Gather", ["x", "i"], ["y"]).Attr("axis", 1L); }));
        Assert.Equal([1, 3, 4, 2], OutputShape(13, [1, 2, 3, 4], b => b.AddNode("Transpose", ["x"], ["y"]).Attr("perm", [0L, 2, 3, 1])));
        Assert.Equal([4, 3, 2, 1], OutputShape(13, [1, 2, 3, 4], b => b.AddNode("Transpose", ["x"], ["y"])));
        Assert.Equal([2, 3, 9], OutputShape(13, [2, 3, 4], b => { b.AddInitializer("k", [2, 3, 5], new float[30]); b.AddNode("Concat", ["x", "k"], ["y"]).Attr("axis", -1L); }));
        Assert.Equal([2, 12], OutputShape(13, [2, 3, 4], b => { b.AddInitializer("s", [2], [0L, -1]); b.AddNode("Reshape", ["x", "s"], ["y"]); }));
        Assert.Throws<OnnxImportException>(() => OutputShape(13, [2, 3, 4], b => { b.AddInitializer("g", [1], [7L]); b.AddNode("Gather", ["x", "g"], ["y"]).Attr("axis", 2L); }));
    }

    [Fact]
    public void Reshape_allowzero_keeps_a_literal_zero_dim()
    {
        var b = new OnnxModelBuilder(14);
        b.AddInput("x", [2, 3]);
        b.AddInitializer("s", [3], [0L, 2, 3]);
        b.AddNode("Reshape", ["x", "s"], ["y"], name: "r").Attr("allowzero", 1L);
        b.AddOutput("y");
        // With allowzero the 0 is a real zero-size dim: 0·2·3 ≠ 6 elements.
        Assert.Throws<OnnxImportException>(() => Import(b));
    }

    [Fact]
    public void Softmax_axis_default_changes_at_opset_13()
    {
        var n11 = new Node("Softmax", "s", [new Value("x", ElementType.Float32, [2, 3, 4])], [new Value("y", ElementType.Float32)]);
        Assert.Equal(1, OnnxOpArguments.SoftmaxAxis(n11, 11, 3));
        Assert.True(OnnxOpArguments.SoftmaxCoercesTo2D(11));
        Assert.Equal(2, OnnxOpArguments.SoftmaxAxis(n11, 13, 3));
        Assert.False(OnnxOpArguments.SoftmaxCoercesTo2D(13));
    }

    [Fact]
    public void Clip_bounds_from_attributes_before_opset_11_and_inputs_after()
    {
        Value x = new("x", ElementType.Float32, [4]);
        var attr = new Node("Clip", "c", [x], [new Value("y", ElementType.Float32)]).Set("min", 0f).Set("max", 6f);
        Assert.Equal((0f, 6f), OnnxOpArguments.ClipBounds(attr, 9));
        var inputs = new Node("Clip", "c", [x, null, Value.FromConstant("hi", TensorData.Scalar(1f))], [new Value("y", ElementType.Float32)]);
        Assert.Equal((float.NegativeInfinity, 1f), OnnxOpArguments.ClipBounds(inputs, 13));
    }

    [Fact]
    public void Shape_start_and_end_from_opset_15()
    {
        var b = new OnnxModelBuilder(15);
        b.AddInput("x", [2, 3, 4, 5]);
        b.AddNode("Shape", ["x"], ["y"]).Attr("start", 1L).Attr("end", -1L);
        b.AddOutput("y");
        var y = Import(b).Outputs[0];
        Assert.Equal([3L, 4], y.Constant!.Longs);
    }

    [Fact]
    public void Cast_and_comparison_output_types()
    {
        var b = new OnnxModelBuilder(13);
        b.AddInput("x", [2]);
        b.AddNode("Cast", ["x"], ["y"]).Attr("to", (long)ElementType.Float16);
        b.AddOutput("y");
        Assert.Equal(ElementType.Float16, Import(b).Outputs[0].Type);
    }
}
