using EdgeCnn.Models.Tests.Support;
using EdgeCnn.Models.Zoo;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Models.Tests;

/// <summary>The zoo exercises the compiler's optimizations: the exported patterns are found and rewritten
/// (counts derived from each architecture's definition), not merely tolerated.</summary>
public sealed class ZooStructureTests
{
    [Fact]
    public void MobileNetV3_hard_swish_patterns_fuse_and_batch_norms_fold()
    {
        var model = Build("mobilenet-v3-small");
        var plain = ZooCompiler.Compile(model, optimize: false);
        var optimized = ZooCompiler.Compile(model, optimize: true);
        // 8 hard-swish bottlenecks × (expansion + depthwise) patterns, each ending in a division by 6.
        Assert.Equal(16, CountBinary(plain, BinaryKind.Div));
        Assert.Equal(0, CountBinary(optimized, BinaryKind.Div));
        // What multiplies after fusion is the squeeze-and-excitation gate of the 9 SE bottlenecks.
        Assert.Equal(9, CountBinary(optimized, BinaryKind.Mul));
        Assert.Equal(34, Count(plain, OpCode.ChannelAffine)); // one per convolution outside the SE gates
        Assert.Equal(0, Count(optimized, OpCode.ChannelAffine));
        Assert.Equal(0, Count(optimized, OpCode.Unary)); // every activation (HardSwish, ReLU) fused into its conv
    }

    [Theory]
    [InlineData("shufflenet-v1", 1)] // v1's Flatten before the classifier is one more Reshape
    [InlineData("shufflenet-v2", 0)] // v2 pools with ReduceMean, no Flatten
    public void ShuffleNet_reshape_transpose_reshape_becomes_one_channel_shuffle_per_unit(string name, int otherReshapes)
    {
        var model = Build(name);
        var plain = ZooCompiler.Compile(model, optimize: false);
        var optimized = ZooCompiler.Compile(model, optimize: true);
        const int units = 4 + 8 + 4;
        Assert.Equal(0, Count(plain, OpCode.ChannelShuffle));
        Assert.Equal(2 * units + otherReshapes, Count(plain, OpCode.Reshape));
        Assert.Equal(units, Count(optimized, OpCode.ChannelShuffle));
        Assert.Equal(0, Count(optimized, OpCode.Reshape));
    }

    [Fact]
    public void DenseNet_keeps_only_the_batch_norms_that_follow_a_concatenation_or_pool()
    {
        var model = Build("densenet121");
        var optimized = ZooCompiler.Compile(model, optimize: true);
        // 121 BNs: stem, 2 per dense layer (58 layers), 3 transitions, the final one. The second BN of each
        // layer follows its 1×1 conv and folds, as does the stem's; the others open a BN-ReLU-conv unit.
        Assert.Equal(121, Count(ZooCompiler.Compile(model, optimize: false), OpCode.ChannelAffine));
        Assert.Equal(58 + 3 + 1, Count(optimized, OpCode.ChannelAffine));
    }

    private static ZooModel Build(string name)
    {
        var entry = ModelZoo.Find(name)!;
        return entry.Build(SmallConfigs.For(entry));
    }

    private static int Count(CompiledModel model, OpCode code) => model.Ops.Count(o => o.Code == code);

    private static int CountBinary(CompiledModel model, BinaryKind kind) =>
        model.Ops.Count(o => o.Code == OpCode.Binary && o.Params.GetInt(ParamKey.Kind, 0) == (int)kind);
}
