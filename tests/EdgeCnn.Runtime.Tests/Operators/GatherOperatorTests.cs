using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class GatherOperatorTests
{
    [Theory]
    [InlineData(0, "", "2")]
    [InlineData(0, "2", "2,0")]
    [InlineData(1, "2,3", "3,0,1,3,3,2")]
    [InlineData(2, "4", "4,0,4,1")]
    [InlineData(2, "", "3")]
    [InlineData(1, "1,1", "1")]
    public void Picks_slices_by_constant_indices(int axis, string indicesShapeText, string indicesText)
    {
        int[] shape = [3, 4, 5];
        var indicesShape = BinaryOperatorTests.Parse(indicesShapeText);
        var indices = BinaryOperatorTests.Parse(indicesText);
        var outShape = shape.Take(axis).Concat(indicesShape).Concat(shape.Skip(axis + 1)).ToArray();
        var x = Random(new Random(axis), Count(shape));

        var actual = OneOpModel.Run(OpCode.Gather,
            new OpParams().Set(ParamKey.Axis, axis).Set(ParamKey.Indices, indices).Set(ParamKey.IndicesShape, indicesShape),
            [In(shape, x)], outShape);

        var expected = new double[Count(outShape)];
        for (int i = 0; i < expected.Length; i++)
        {
            var outIndex = Unravel(i, outShape);
            var inIndex = new int[3];
            for (int a = 0; a < axis; a++) inIndex[a] = outIndex[a];
            var slot = outIndex.Skip(axis).Take(indicesShape.Length).ToArray();
            inIndex[axis] = indices[Ravel(slot, indicesShape)];
            for (int a = axis + 1; a < 3; a++) inIndex[a] = outIndex[a - 1 + indicesShape.Length];
            expected[i] = x[Ravel(inIndex, shape)];
        }
        AssertClose(expected, actual, rtol: 0, atol: 0);
    }

    [Fact]
    public void Rejects_bad_indices()
    {
        var x = Zeros(3, 4);
        AssertRejected(OpCode.Gather, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Indices, 3).Set(ParamKey.IndicesShape, 1), [x], [[1, 4]], "outside");
        AssertRejected(OpCode.Gather, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Indices, -1).Set(ParamKey.IndicesShape, 1), [x], [[1, 4]], "outside");
        AssertRejected(OpCode.Gather, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Indices, 0, 1).Set(ParamKey.IndicesShape, 3), [x], [[3, 4]], "IndicesShape");
        AssertRejected(OpCode.Gather, new OpParams().Set(ParamKey.Axis, 2).Set(ParamKey.Indices, 0).Set(ParamKey.IndicesShape, 1), [x], [[3, 4]], "Axis");
        AssertRejected(OpCode.Gather, new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Indices, 0).Set(ParamKey.IndicesShape, 1), [x], [[3, 4]], "shape");
        AssertRejected(OpCode.Gather, new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.IndicesShape, 1), [x], [[3, 1]], "Indices");
    }
}
