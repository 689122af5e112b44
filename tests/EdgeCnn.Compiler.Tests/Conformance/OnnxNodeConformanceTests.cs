namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// ONNX's node conformance tests: one case per in-scope test directory (see <see cref="NodeTestCatalog"/>),
/// run by <see cref="NodeTestRunner"/>, recorded for the report, then failed or skipped with the reason.
/// </summary>
public sealed class OnnxNodeConformanceTests
{
    private const string MissingData = "(ONNX test data missing)";

    public static IEnumerable<TheoryDataRow<string>> Cases()
    {
        if (OnnxTestData.NodeDirectory is null)
        {
            // One visible case that fails in CI / skips elsewhere, instead of a silently empty theory.
            yield return new TheoryDataRow<string>(MissingData) { TestDisplayName = "ONNX node conformance: data missing" };
            yield break;
        }
        foreach (var test in NodeTestCatalog.InScope)
            yield return new TheoryDataRow<string>(test.Name) { TestDisplayName = $"ONNX node [{string.Join(",", test.Ops)}]" };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Node(string name)
    {
        if (name == MissingData)
        {
            ConformanceResults.MissingData = OnnxTestData.MissingMessage;
            OnnxTestData.FailOrSkipMissing(OnnxTestData.MissingMessage);
        }
        var result = NodeTestRunner.Run(NodeTestCatalog.Get(name));
        ConformanceResults.Record(result);
        switch (result.Status)
        {
            case NodeTestStatus.Failed: Assert.Fail(result.Detail); break;
            case NodeTestStatus.Skipped: Assert.Skip(result.Detail); break;
        }
    }

    [Fact]
    public void Catalog_puts_most_listed_op_families_in_scope()
    {
        if (OnnxTestData.NodeDirectory is null) OnnxTestData.FailOrSkipMissing(OnnxTestData.MissingMessage);
        var inScope = NodeTestCatalog.InScope.ToList();
        // Guards the scope rule itself: a parsing bug that dropped ops would empty the suite and pass.
        Assert.Contains(inScope, t => t.Name == "test_conv_with_strides_padding");
        Assert.Contains(inScope, t => t.Name == "test_resize_upsample_scales_linear");
        Assert.DoesNotContain(inScope, t => t.Name == "test_argmax_default_axis_example");
        var outOfScope = NodeTestCatalog.Get("test_argmax_default_axis_example");
        Assert.Contains("ArgMax", outOfScope.OutOfScopeOps);
        Assert.True(inScope.Count >= 250, $"only {inScope.Count} in-scope node tests found");
    }
}
