using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class SliceTransposeReshapeOperatorTests
{
    [Theory]
    [InlineData("0,0,0", "5,6,7", "1,1,1")]
    [InlineData("1,2,3", "4,5,7", "1,1,1")]
    [InlineData("0,1,0", "5,6,7", "2,2,3")]
    [InlineData("4,5,6", "-1,-1,-1", "-1,-1,-1")]
    [InlineData("4,0,6", "-1,6,0", "-2,1,-3")]
    [InlineData("3,5,2", "1,0,3", "-1,-2,1")]
    [InlineData("2,2,2", "2,5,7", "1,1,1")]
    [InlineData("0,0,6", "5,6,-1", "1,1,-7")]
    public void Slice_takes_start_plus_i_times_step(string startsText, string endsText, string stepsText)
    {
        int[] shape = [5, 6, 7];
        var starts = BinaryOperatorTests.Parse(startsText);
        var ends = BinaryOperatorTests.Parse(endsText);
        var steps = BinaryOperatorTests.Parse(stepsText);
        var outShape = new int[3];
        for (int a = 0; a < 3; a++)
        {
            int count = 0;
            for (int i = starts[a]; steps[a] > 0 ? i < ends[a] : i > ends[a]; i += steps[a]) count++;
            outShape[a] = count;
        }
        var x = Random(new Random(TestSeed.Of(startsText)), Count(shape));

        var actual = OneOpModel.Run(OpCode.Slice,
            new OpParams().Set(ParamKey.Starts, starts).Set(ParamKey.Ends, ends).Set(ParamKey.Steps, steps), [In(shape, x)], outShape);

        var expected = new double[Count(outShape)];
        for (int i = 0; i < expected.Length; i++)
        {
            var index = Unravel(i, outShape);
            for (int a = 0; a < 3; a++) index[a] = starts[a] + index[a] * steps[a];
            expected[i] = x[Ravel(index, shape)];
        }
        AssertClose(expected, actual, rtol: 0, atol: 0);
    }

    [Fact]
    public void Slice_rejects_params_that_reach_outside()
    {
        var x = Zeros(4, 5);
        AssertRejected(OpCode.Slice, new OpParams().Set(ParamKey.Starts, 0, 0).Set(ParamKey.Ends, 4, 5).Set(ParamKey.Steps, 1, 0), [x], [[4, 5]], "Steps");
        AssertRejected(OpCode.Slice, new OpParams().Set(ParamKey.Starts, 0).Set(ParamKey.Ends, 4).Set(ParamKey.Steps, 1), [x], [[4, 5]], "entries");
        AssertRejected(OpCode.Slice, new OpParams().Set(ParamKey.Starts, 0, 0).Set(ParamKey.Ends, 6, 5).Set(ParamKey.Steps, 1, 1), [x], [[6, 5]], "outside");
        AssertRejected(OpCode.Slice, new OpParams().Set(ParamKey.Starts, 4, 0).Set(ParamKey.Ends, -1, 5).Set(ParamKey.Steps, -1, 1), [x], [[5, 5]], "outside");
        AssertRejected(OpCode.Slice, new OpParams().Set(ParamKey.Starts, 0, 0).Set(ParamKey.Ends, 4, 5).Set(ParamKey.Steps, 1, 1), [x], [[4, 4]], "shape");
    }

    [Theory]
    [InlineData("7", "0")]
    [InlineData("3,4", "1,0")]
    [InlineData("2,3,4", "0,2,1")]
    [InlineData("2,3,4", "2,0,1")]
    [InlineData("2,3,4,5", "0,2,3,1")]
    [InlineData("2,3,4,5", "0,3,1,2")]
    [InlineData("2,3,4,5", "3,2,1,0")]
    [InlineData("1,3,1,5,2", "4,1,3,0,2")]
    [InlineData("2,1,3,2,2,3", "5,3,1,4,0,2")]
    [InlineData("2,2,2,2,2,2,2,3", "7,6,5,4,3,2,1,0")]
    [InlineData("70,45", "1,0")]
    [InlineData("3,50,41", "0,2,1")]
    [InlineData("1,33,35,5", "0,3,1,2")]
    public void Transpose_moves_axis_perm_i_to_i(string shapeText, string permText)
    {
        var shape = BinaryOperatorTests.Parse(shapeText);
        var perm = BinaryOperatorTests.Parse(permText);
        var outShape = perm.Select(p => shape[p]).ToArray();
        var x = Random(new Random(TestSeed.Of(shapeText)), Count(shape));

        var actual = OneOpModel.Run(OpCode.Transpose, new OpParams().Set(ParamKey.Perm, perm), [In(shape, x)], outShape);

        var expected = new double[x.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            var outIndex = Unravel(i, outShape);
            var inIndex = new int[shape.Length];
            for (int a = 0; a < perm.Length; a++) inIndex[perm[a]] = outIndex[a];
            expected[i] = x[Ravel(inIndex, shape)];
        }
        AssertClose(expected, actual, rtol: 0, atol: 0);
    }

    [Fact]
    public void Transpose_rejects_a_bad_permutation()
    {
        AssertRejected(OpCode.Transpose, new OpParams().Set(ParamKey.Perm, 0, 0, 1), [Zeros(2, 3, 4)], [[2, 2, 3]], "permutation");
        AssertRejected(OpCode.Transpose, new OpParams().Set(ParamKey.Perm, 0, 3, 1), [Zeros(2, 3, 4)], [[2, 4, 3]], "permutation");
        AssertRejected(OpCode.Transpose, new OpParams().Set(ParamKey.Perm, 1, 0), [Zeros(2, 3, 4)], [[3, 2, 4]], "Perm");
        AssertRejected(OpCode.Transpose, new OpParams().Set(ParamKey.Perm, 1, 0), [Zeros(2, 3)], [[2, 3]], "shape");
    }

    [Fact]
    public void Reshape_copies_the_data_into_the_new_shape()
    {
        var x = Random(new Random(1), 24);
        var actual = OneOpModel.Run(OpCode.Reshape, new OpParams(), [In([2, 3, 4], x)], [4, 1, 6]);
        Assert.Equal(x, actual);

        var fromConstant = OneOpModel.Run(OpCode.Reshape, new OpParams(), [Const([24], x)], [2, 12]);
        Assert.Equal(x, fromConstant);

        AssertRejected(OpCode.Reshape, new OpParams(), [Zeros(2, 3, 4)], [[5, 5]], "element counts");
    }
}
