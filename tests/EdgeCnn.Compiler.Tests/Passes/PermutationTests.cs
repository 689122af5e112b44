using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;

namespace EdgeCnn.Compiler.Tests.Passes;

public sealed class PermutationTests
{
    [Fact]
    public void TransposeOfDataMatchesTheIndexDefinition()
    {
        int[] shape = [2, 3, 4];
        var data = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        int[] perm = [2, 0, 1];
        var t = Permutation.Transpose(TensorData.FromFloats(shape, data), perm);
        Assert.Equal([4, 2, 3], t.Shape);
        // y[i0,i1,i2] = x[j] with j[perm[k]] = i[k], i.e. x[i1, i2, i0].
        for (int i0 = 0; i0 < 4; i0++)
            for (int i1 = 0; i1 < 2; i1++)
                for (int i2 = 0; i2 < 3; i2++)
                    Assert.Equal(data[(i1 * 3 + i2) * 4 + i0], t.Floats![(i0 * 2 + i1) * 3 + i2]);
    }

    [Fact]
    public void ThenComposesAndInverseUndoes()
    {
        var data = TensorData.FromLongs([2, 3, 4, 5], Enumerable.Range(0, 120).Select(i => (long)i).ToArray());
        int[] p = [0, 2, 3, 1], q = [3, 1, 0, 2];
        var twice = Permutation.Transpose(Permutation.Transpose(data, p), q);
        var once = Permutation.Transpose(data, Permutation.Then(p, q));
        Assert.Equal(twice.Longs!, once.Longs!);
        Assert.True(Permutation.IsIdentity(Permutation.Then(p, Permutation.Inverse(p))));
        Assert.Equal(Permutation.ToChannelsFirst, Permutation.Inverse(Permutation.ToChannelsLast));
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1, 8 }, new[] { 0, 3, 1, 2 }, true)]
    [InlineData(new[] { 2, 1, 3, 1 }, new[] { 0, 3, 1, 2 }, true)]
    [InlineData(new[] { 1, 2, 2, 8 }, new[] { 0, 3, 1, 2 }, false)]
    public void MemoryOrderIsKeptWhenOnlyUnitAxesMove(int[] shape, int[] perm, bool expected) =>
        Assert.Equal(expected, Permutation.PreservesMemoryOrder(shape, perm));
}
