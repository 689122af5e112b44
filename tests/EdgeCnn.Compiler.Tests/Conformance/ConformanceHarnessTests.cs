using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>The conformance harness itself must be able to fail: hand-made node tests with right and
/// wrong expected outputs, and the tolerance rule at its edges.</summary>
public sealed class ConformanceHarnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"edgecnn-harness-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Tolerance_is_atol_plus_rtol_times_expected_and_matches_nan_and_infinity_exactly()
    {
        var t = Tolerance.Default;
        Assert.True(t.Accepts(1.0001f, 1f));
        Assert.False(t.Accepts(1.0002f, 1f));
        Assert.True(t.Accepts(9e-6f, 0f));
        Assert.False(t.Accepts(2e-5f, 0f));
        Assert.True(t.Accepts(float.NaN, float.NaN));
        Assert.False(t.Accepts(float.NaN, 1f));
        Assert.False(t.Accepts(1f, float.NaN));
        Assert.True(t.Accepts(float.PositiveInfinity, float.PositiveInfinity));
        Assert.False(t.Accepts(float.NegativeInfinity, float.PositiveInfinity));
        Assert.False(t.Accepts(float.MaxValue, float.PositiveInfinity));
    }

    [Fact]
    public void Comparison_reports_the_worst_element_by_its_index()
    {
        float[] expected = [0, 1, 2, 3, 4, 5];
        float[] actual = [0, 1.5f, 2, 3, 4, 9];
        var message = TensorComparison.CompareFloats(actual, expected, [2, 3], Tolerance.Default);
        Assert.NotNull(message);
        Assert.Contains("2 of 6", message);
        Assert.Contains("[1,2]", message);
        Assert.Null(TensorComparison.CompareFloats(expected, expected, [2, 3], Tolerance.Default));
        Assert.Contains("first at [1]", TensorComparison.CompareIntegers([1, 2, 3], [1, 7, 3], [3]));
    }

    [Fact]
    public void A_correct_node_test_passes_and_a_wrong_expected_value_fails()
    {
        float[] x = [-1, 2, -3, 4, 0.5f, -0.25f];
        var model = new OnnxModelBuilder(13);
        model.AddInput("x", [2, 3]);
        model.AddNode("Relu", ["x"], ["y"]);
        model.AddOutput("y", [2, 3]);
        var relu = Array.ConvertAll(x, v => Math.Max(v, 0));

        var good = MakeTest("relu_good", model, [TensorData.FromFloats([2, 3], x)], [TensorData.FromFloats([2, 3], relu)]);
        Assert.Equal(NodeTestStatus.Passed, NodeTestRunner.Run(good).Status);

        var wrong = (float[])relu.Clone();
        wrong[4] = 0.75f;
        var bad = MakeTest("relu_bad", model, [TensorData.FromFloats([2, 3], x)], [TensorData.FromFloats([2, 3], wrong)]);
        var result = NodeTestRunner.Run(bad);
        Assert.Equal(NodeTestStatus.Failed, result.Status);
        Assert.Contains("[1,1]", result.Detail);
    }

    [Fact]
    public void Integer_outputs_are_compared_exactly()
    {
        var model = new OnnxModelBuilder(13);
        model.AddInput("x", [2, 5]);
        model.AddNode("Shape", ["x"], ["s"]);
        model.AddOutput("s", [2], ElementType.Int64);
        var input = TensorData.FromFloats([2, 5], new float[10]);

        var good = MakeTest("shape_good", model, [input], [TensorData.FromLongs([2], [2, 5])]);
        Assert.Equal(NodeTestStatus.Passed, NodeTestRunner.Run(good).Status);
        var bad = MakeTest("shape_bad", model, [input], [TensorData.FromLongs([2], [2, 6])]);
        Assert.Equal(NodeTestStatus.Failed, NodeTestRunner.Run(bad).Status);
    }

    [Fact]
    public void An_unsupported_attribute_value_is_a_skip_with_the_importers_reason()
    {
        var model = new OnnxModelBuilder(13);
        model.AddInput("x", [1, 1, 2, 2]);
        model.AddInitializer("roi", TensorData.FromFloats([0], []));
        model.AddInitializer("scales", TensorData.FromFloats([4], [1, 1, 2, 2]));
        model.AddNode("Resize", ["x", "roi", "scales"], ["y"]).Attr("mode", "cubic");
        model.AddOutput("y");
        var test = MakeTest("resize_cubic", model, [TensorData.FromFloats([1, 1, 2, 2], [1, 2, 3, 4])],
            [TensorData.FromFloats([1, 1, 4, 4], new float[16])]);
        var result = NodeTestRunner.Run(test);
        Assert.Equal(NodeTestStatus.Skipped, result.Status);
        Assert.Contains("cubic", result.Detail);
    }

    [Fact]
    public void Report_lists_totals_every_result_with_its_reason_and_the_out_of_scope_ops()
    {
        var conv = new NodeTest("test_conv_x", "/d/conv", 13, ["Conv"], [], null);
        var resize = new NodeTest("test_resize_x", "/d/resize", 13, ["Resize"], [], null);
        var notRun = new NodeTest("test_relu_x", "/d/relu", 13, ["Relu"], [], null);
        var argmax = new NodeTest("test_argmax_x", "/d/argmax", 13, ["ArgMax"], ["ArgMax"], "ops not in the issue's list: ArgMax");
        var summary = new ConformanceReport.Summary(
            [NodeTestResult.Failed(conv, "output 'y': 1 of 4 | differ"), NodeTestResult.Skipped(resize, "mode 'cubic'")],
            [notRun], [argmax], 4);

        var md = ConformanceReport.Markdown(summary);
        Assert.Contains("| in scope | 3 |", md);
        Assert.Contains("| — failed | 1 |", md);
        Assert.Contains("| — not run (filtered out of this run) | 1 |", md);
        Assert.Contains("| test_conv_x | Conv | failed | output 'y': 1 of 4 \\| differ |", md);
        Assert.Contains("| test_resize_x | Resize | skipped | mode 'cubic' |", md);
        Assert.Contains("| test_argmax_x | ops not in the issue's list: ArgMax |", md);
        Assert.Contains("Failed tests per op: Conv 1.", md);

        var json = System.Text.Json.JsonDocument.Parse(ConformanceReport.Json(summary)).RootElement;
        Assert.Equal(1, json.GetProperty("totals").GetProperty("skipped").GetInt32());
        Assert.Equal("ArgMax", json.GetProperty("outOfScope")[0].GetProperty("outOfScopeOps")[0].GetString());
    }

    private NodeTest MakeTest(string name, OnnxModelBuilder model, TensorData[] inputs, TensorData[] outputs)
    {
        var dir = Path.Combine(_root, name);
        var set = Path.Combine(dir, "test_data_set_0");
        Directory.CreateDirectory(set);
        model.Save(Path.Combine(dir, "model.onnx"));
        for (int i = 0; i < inputs.Length; i++) TensorProtoIo.Write(Path.Combine(set, $"input_{i}.pb"), inputs[i]);
        for (int i = 0; i < outputs.Length; i++) TensorProtoIo.Write(Path.Combine(set, $"output_{i}.pb"), outputs[i]);
        return new NodeTest(name, dir, model.Opset, [], [], null);
    }
}
