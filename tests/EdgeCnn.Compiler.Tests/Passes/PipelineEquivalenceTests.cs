using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Whole-pipeline checks on small networks built in code: optimized and unoptimized compilation agree
/// within 1e-5 and both match ONNX Runtime; the layout work leaves the expected number of transposes.</summary>
public sealed class PipelineEquivalenceTests
{
    private static (CompiledModel Optimized, CompiledModel Plain) Check(OnnxNet net, string input, int[] shape, float tolerance = 1e-4f)
    {
        var data = PipelineHarness.RandomData(12345, shape);
        return PipelineHarness.AssertEquivalent(net.Model, [(input, data, shape)], tolerance);
    }

    private static int Transposes(CompiledModel m) => PipelineHarness.CountOps(m, OpCode.Transpose);

    private static void AssertTransposes(int expected, CompiledModel m) =>
        Assert.True(Transposes(m) == expected, $"expected {expected} transposes, found {Transposes(m)}:\n{PipelineHarness.Listing(m)}");

    [Fact]
    public void MobileNetV2BlockWithClassifierEndsWithOneTransposeAtTheInput()
    {
        var n = new OnnxNet();
        var x = n.Input("x", 1, 3, 16, 16);
        var a1 = n.Relu(n.BatchNorm(n.Conv(x, 3, 8, 3, stride: 2, bias: false), 8));
        var a2 = n.Clip(n.BatchNorm(n.Conv(a1, 8, 8, 3, group: 8, bias: false), 8), 0, 6);
        var a3 = n.BatchNorm(n.Conv(a2, 8, 8, 1, bias: false), 8);
        var r = n.Op("Add", [a3, a1]);
        var flat = n.Op("Flatten", [n.Op("GlobalAveragePool", [r])]);
        var logits = n.Op("Gemm", [flat, n.Weight([5, 8]), n.Weight([5])], b => b.Attr("transB", 1L));
        n.Output(n.Op("Softmax", [logits]));
        var (optimized, plain) = Check(n, x, [1, 3, 16, 16]);
        AssertTransposes(1, optimized);
        AssertTransposes(1, plain);
        Assert.Equal(0, PipelineHarness.CountOps(optimized, OpCode.ChannelAffine));
        Assert.Equal(0, PipelineHarness.CountOps(optimized, OpCode.Unary));
        Assert.Equal(1, PipelineHarness.CountOps(optimized, OpCode.FullyConnected));
    }

    [Fact]
    public void ResNetBlockWithDownsampleKeepsOnlyTheBoundaryTransposes()
    {
        var n = new OnnxNet();
        var x = n.Input("x", 1, 4, 12, 12);
        var stem = n.Op("MaxPool", [n.Relu(n.BatchNorm(n.Conv(x, 4, 8, 3), 8))],
            b => b.Attr("kernel_shape", [3L, 3]).Attr("strides", [2L, 2]).Attr("pads", [1L, 1, 1, 1]));
        var h = n.Relu(n.BatchNorm(n.Conv(stem, 8, 16, 3, stride: 2), 16));
        h = n.BatchNorm(n.Conv(h, 16, 16, 3), 16);
        var shortcut = n.BatchNorm(n.Conv(stem, 8, 16, 1, stride: 2, pad: 0), 16);
        var y = n.Relu(n.Op("Add", [h, shortcut]));
        n.Output(y);
        var (optimized, plain) = Check(n, x, [1, 4, 12, 12]);
        AssertTransposes(2, optimized);
        AssertTransposes(2, plain);
    }

    [Fact]
    public void MobileNetV3BlockFusesHardSwishAndKeepsTheSqueezeExcitationInNhwc()
    {
        var n = new OnnxNet();
        var x = n.Input("x", 1, 8, 10, 10);
        var c = n.BatchNorm(n.Conv(x, 8, 16, 1), 16);
        var gate = n.Clip(n.Op("Add", [c, n.Const([3f])]), 0, 6);
        var hs = n.Op("Div", [n.Op("Mul", [c, gate]), n.Const([6f])]);
        var se = n.Op("GlobalAveragePool", [hs]);
        se = n.Relu(n.Conv(se, 16, 4, 1));
        se = n.Op("HardSigmoid", [n.Conv(se, 4, 16, 1)], b => b.Attr("alpha", 1f / 6f).Attr("beta", 0.5f));
        var scaled = n.Op("Mul", [hs, se]);
        var hs2 = n.Op("Mul", [scaled, n.Op("HardSigmoid", [scaled], b => b.Attr("alpha", 1f / 6f).Attr("beta", 0.5f))]);
        n.Output(hs2);
        var (optimized, plain) = Check(n, x, [1, 8, 10, 10]);
        AssertTransposes(2, optimized);
        AssertTransposes(2, plain);
        Assert.Equal(0, PipelineHarness.CountOps(optimized, OpCode.Unary));
        Assert.Contains(optimized.Ops, o => o.Code == OpCode.Conv2D && o.Params.Activation == ActivationKind.HardSwish);
        Assert.Contains(optimized.Ops, o => o.Code == OpCode.Binary && o.Params.Activation == ActivationKind.HardSwish);
    }

    [Fact]
    public void ShuffleNetUnitBecomesOneChannelShuffle()
    {
        var n = new OnnxNet();
        var x = n.Input("x", 1, 16, 8, 8);
        var halves = n.Ops("Split", [x, n.Longs(8, 8)], 2, b => b.Attr("axis", 1L));
        var h = n.Relu(n.BatchNorm(n.Conv(halves[1], 8, 8, 1, bias: false), 8));
        h = n.BatchNorm(n.Conv(h, 8, 8, 3, group: 8, bias: false), 8);
        h = n.Relu(n.BatchNorm(n.Conv(h, 8, 8, 1, bias: false), 8));
        var joined = n.Op("Concat", [halves[0], h], b => b.Attr("axis", 1L));
        var grouped = n.Op("Reshape", [joined, n.Longs(1, 2, 8, 8, 8)]);
        var swapped = n.Op("Transpose", [grouped], b => b.Attr("perm", [0L, 2, 1, 3, 4]));
        var y = n.Op("Reshape", [swapped, n.Longs(1, 16, 8, 8)]);
        n.Output(n.Relu(n.Conv(y, 16, 4, 1)));
        var (optimized, plain) = Check(n, x, [1, 16, 8, 8]);
        Assert.Equal(1, PipelineHarness.CountOps(optimized, OpCode.ChannelShuffle));
        AssertTransposes(2, optimized);
        Assert.True(Transposes(plain) > 2);
    }

    [Fact]
    public void ConvNet1DIsWidenedTo2D()
    {
        var n = new OnnxNet(opset: 11);
        var x = n.Input("x", 1, 3, 20);
        var w = n.Weight([6, 3, 5], 0.3f);
        var c = n.Op("Conv", [x, w, n.Weight([6], 0.1f)], b => b.Attr("kernel_shape", [5L]).Attr("pads", [2L, 2]).Attr("strides", [2L]));
        var a = n.Relu(n.BatchNorm(c, 6));
        var p = n.Op("MaxPool", [a], b => b.Attr("kernel_shape", [3L]).Attr("strides", [2L]).Attr("ceil_mode", 1L));
        var t = n.Op("ConvTranspose", [p, n.Weight([6, 2, 4], 0.3f)], b => b.Attr("kernel_shape", [4L]).Attr("strides", [2L]).Attr("pads", [1L, 1]));
        var g = n.Op("Flatten", [n.Op("GlobalAveragePool", [t])]);
        n.Output(n.Op("Gemm", [g, n.Weight([2, 3]), n.Weight([3])]), t);
        var (optimized, _) = Check(n, x, [1, 3, 20]);
        Assert.Equal(1, PipelineHarness.CountOps(optimized, OpCode.ConvTranspose2D));
    }

    [Fact]
    public void DetectorNeckWithUpsamplingConcatAndConvTransposeMatches()
    {
        var n = new OnnxNet(opset: 13);
        var x = n.Input("x", 1, 4, 8, 8);
        var c1 = n.Relu(n.BatchNorm(n.Conv(x, 4, 8, 3, stride: 2), 8));
        var up = n.Op("Resize", [c1, "", n.Const([1f, 1f, 2f, 2f], 4)], b => b.Attr("mode", "nearest"));
        var cat = n.Op("Concat", [up, x], b => b.Attr("axis", 1L));
        var c2 = n.Relu(n.BatchNorm(n.Conv(cat, 12, 8, 3), 8));
        var lin = n.Op("Resize", [c2, "", "", n.Longs(1, 8, 12, 12)], b => b.Attr("mode", "linear").Attr("coordinate_transformation_mode", "half_pixel"));
        var t = n.Op("ConvTranspose", [lin, n.Weight([8, 2, 2, 2], 0.4f), n.Weight([4], 0.1f)], b => b.Attr("strides", [2L, 2]).Attr("group", 2L));
        var bn = n.BatchNorm(t, 4);
        n.Output(n.Op("Sigmoid", [bn]));
        var (optimized, plain) = Check(n, x, [1, 4, 8, 8]);
        AssertTransposes(2, optimized);
        Assert.Equal(0, PipelineHarness.CountOps(optimized, OpCode.ChannelAffine));
        AssertTransposes(2, plain);
    }

    [Fact]
    public void UpsampleOpset9AndSoftmaxOpset11AreCanonicalized()
    {
        var n = new OnnxNet(opset: 9);
        var x = n.Input("x", 1, 3, 4, 5);
        var u = n.Op("Upsample", [x, n.Const([1f, 1f, 2f, 3f], 4)], b => b.Attr("mode", "nearest"));
        var c = n.Conv(u, 3, 4, 3);
        n.Output(n.Op("Softmax", [c]), n.Op("LogSoftmax", [c], b => b.Attr("axis", 2L)));
        Check(n, x, [1, 3, 4, 5]);
    }

    [Fact]
    public void FlattenOfSpatialFeaturesFoldsTheTransposeIntoTheWeights()
    {
        var n = new OnnxNet();
        var x = n.Input("x", 2, 3, 8, 8);
        var p = n.Op("MaxPool", [n.Relu(n.Conv(x, 3, 4, 3))], b => b.Attr("kernel_shape", [2L, 2]).Attr("strides", [2L, 2]));
        var flat = n.Op("Flatten", [p]);
        var fc = n.Op("Gemm", [flat, n.Weight([64, 10], 0.2f), n.Weight([10], 0.1f)], b => b.Attr("alpha", 0.5f).Attr("beta", 2f));
        n.Output(n.Op("LeakyRelu", [fc], b => b.Attr("alpha", 0.1f)));
        var (optimized, plain) = Check(n, x, [2, 3, 8, 8]);
        AssertTransposes(1, optimized);
        AssertTransposes(2, plain);
        Assert.Contains(optimized.Ops, o => o.Code == OpCode.FullyConnected && o.Params.Activation == ActivationKind.LeakyRelu);
    }

    [Fact]
    public void DataMovementAndReductionOpsMatch()
    {
        var n = new OnnxNet(opset: 13);
        var x = n.Input("x", 1, 6, 9, 10);
        var c = n.Relu(n.Conv(x, 6, 8, 3));
        var padded = n.Op("Pad", [c, n.Longs(0, 0, 1, 2, 0, 0, 2, 1)], b => b.Attr("mode", "reflect"));
        var sliced = n.Op("Slice", [padded, n.Longs(1, -1), n.Longs(12, -100), n.Longs(2, 3), n.Longs(2, -1)]);
        var prelu = n.Op("PRelu", [sliced, n.Weight([8, 1, 1], 0.3f)]);
        var parts = n.Ops("Split", [prelu, n.Longs(3, 5)], 2, b => b.Attr("axis", 1L));
        var summed = n.Op("Sum", [n.Conv(parts[0], 3, 5, 1), parts[1], n.Weight([5, 1, 1])]);
        var mean = n.Op("Mean", [summed, n.Op("Max", [summed, n.Const([0.1f])]), n.Op("Min", [summed, n.Const([0.2f])])]);
        var lrn = n.Op("LRN", [mean], b => b.Attr("size", 3L).Attr("alpha", 0.01f));
        var avg = n.Op("AveragePool", [lrn], b => b.Attr("kernel_shape", [2L, 2]).Attr("strides", [2L, 2]).Attr("ceil_mode", 1L).Attr("count_include_pad", 1L).Attr("pads", [1L, 0, 1, 0]));
        var red = n.Op("ReduceMean", [avg], b => b.Attr("axes", [2L, 3]).Attr("keepdims", 0L));
        n.Output(red, n.Op("ReduceSum", [mean, n.Longs(1)], b => b.Attr("keepdims", 1L)));
        Check(n, x, [1, 6, 9, 10]);
    }

    [Fact]
    public void DepthToSpaceSpaceToDepthAndLpPoolMatch()
    {
        var n = new OnnxNet(opset: 13);
        var x = n.Input("x", 1, 8, 6, 6);
        var d = n.Op("DepthToSpace", [n.Conv(x, 8, 8, 1)], b => b.Attr("blocksize", 2L).Attr("mode", "CRD"));
        var s = n.Op("SpaceToDepth", [d], b => b.Attr("blocksize", 3L));
        var lp = n.Op("LpPool", [s], b => b.Attr("kernel_shape", [2L, 2]).Attr("p", 2L));
        var gm = n.Op("GlobalMaxPool", [n.Op("DepthToSpace", [lp], b => b.Attr("blocksize", 3L))]);
        n.Output(gm);
        Check(n, x, [1, 8, 6, 6]);
    }
}
