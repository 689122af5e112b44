using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class ConcatSplitOperatorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Concat_places_each_input_at_its_offset_along_the_axis(int axis)
    {
        int[][] shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]];
        int[] sizes = [1, 3, 2];
        for (int i = 0; i < 3; i++) shapes[i][axis] = sizes[i];
        var rng = new Random(axis);
        var data = shapes.Select(s => Random(rng, Count(s))).ToArray();
        var outShape = new[] { 2, 3, 4 };
        outShape[axis] = 6;

        var actual = OneOpModel.Run(OpCode.Concat, new OpParams().Set(ParamKey.Axis, axis),
            [In(shapes[0], data[0]), Const(shapes[1], data[1]), In(shapes[2], data[2])], outShape);

        var expected = new double[Count(outShape)];
        for (int i = 0; i < expected.Length; i++)
        {
            var index = Unravel(i, outShape);
            int input = 0, along = index[axis];
            while (along >= sizes[input]) along -= sizes[input++];
            index[axis] = along;
            expected[i] = data[input][Ravel(index, shapes[input])];
        }
        AssertClose(expected, actual, rtol: 0, atol: 0);
    }

    [Fact]
    public void Concat_of_a_single_input_is_a_copy()
    {
        float[] x = [1, 2, 3, 4, 5, 6];
        var actual = OneOpModel.Run(OpCode.Concat, new OpParams().Set(ParamKey.Axis, 1), [In([2, 3], x)], [2, 3]);
        Assert.Equal(x, actual);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Split_cuts_consecutive_pieces(int axis)
    {
        int[] shape = [6, 6, 6];
        int[] sizes = [1, 0, 2, 3];
        var x = Random(new Random(axis + 10), Count(shape));
        var outShapes = sizes.Select(s => { var o = (int[])shape.Clone(); o[axis] = s; return o; }).ToArray();

        var outputs = OneOpModel.RunAll(OpCode.Split, new OpParams().Set(ParamKey.Axis, axis).Set(ParamKey.Sizes, sizes), [In(shape, x)], outShapes);

        int start = 0;
        for (int p = 0; p < sizes.Length; p++)
        {
            var expected = new double[Count(outShapes[p])];
            for (int i = 0; i < expected.Length; i++)
            {
                var index = Unravel(i, outShapes[p]);
                index[axis] += start;
                expected[i] = x[Ravel(index, shape)];
            }
            AssertClose(expected, outputs[p], rtol: 0, atol: 0);
            start += sizes[p];
        }
    }

    [Fact]
    public void Rejects_mismatched_pieces()
    {
        AssertRejected(OpCode.Concat, new OpParams().Set(ParamKey.Axis, 1), [Zeros(2, 3), Zeros(3, 3)], [[2, 6]], "differs");
        AssertRejected(OpCode.Concat, new OpParams().Set(ParamKey.Axis, 1), [Zeros(2, 3), Zeros(2, 3)], [[2, 7]], "add up");
        AssertRejected(OpCode.Concat, new OpParams().Set(ParamKey.Axis, 2), [Zeros(2, 3), Zeros(2, 3)], [[2, 6]], "Axis");
        AssertRejected(OpCode.Concat, new OpParams().Set(ParamKey.Axis, 0), [Zeros(2, 3), Zeros(2)], [[4, 3]], "rank");
        AssertRejected(OpCode.Split, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Sizes, 1, 2), [Zeros(4, 2)], [[1, 2], [2, 2]], "add up");
        AssertRejected(OpCode.Split, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Sizes, 1, 3), [Zeros(4, 2)], [[1, 2], [2, 2]], "shape");
        AssertRejected(OpCode.Split, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Sizes, 4), [Zeros(4, 2)], [[4, 2], [0, 2]], "Sizes");
        AssertRejected(OpCode.Split, new OpParams().Set(ParamKey.Axis, 0).Set(ParamKey.Sizes, 5, -1), [Zeros(4, 2)], [[5, 2], [0, 2]], "negative");
    }
}
