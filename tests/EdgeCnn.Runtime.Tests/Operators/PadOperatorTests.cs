using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class PadOperatorTests
{
    [Theory]
    [InlineData(PadMode.Constant, "1,0,2,0,3,1")]
    [InlineData(PadMode.Reflect, "1,0,2,0,3,1")]
    [InlineData(PadMode.Edge, "1,0,2,0,3,1")]
    [InlineData(PadMode.Constant, "0,-1,1,-1,2,0")]
    [InlineData(PadMode.Reflect, "0,-1,3,0,-1,-2")]
    [InlineData(PadMode.Edge, "2,2,0,1,-2,5")]
    [InlineData(PadMode.Reflect, "5,0,0,0,0,9")]
    [InlineData(PadMode.Constant, "0,0,0,0,0,0")]
    public void Matches_numpy_pad(PadMode mode, string padsText)
    {
        int[] shape = [2, 3, 4];
        var pads = BinaryOperatorTests.Parse(padsText);
        var outShape = shape.Select((d, a) => d + pads[a] + pads[3 + a]).ToArray();
        var x = Random(new Random(TestSeed.Of(padsText)), Count(shape));
        const float value = 2.5f;

        var actual = OneOpModel.Run(OpCode.Pad,
            new OpParams().Set(ParamKey.Mode, (int)mode).Set(ParamKey.Pads, pads).Set(ParamKey.Value, value), [In(shape, x)], outShape);

        var expected = new double[Count(outShape)];
        for (int i = 0; i < expected.Length; i++)
        {
            var index = Unravel(i, outShape);
            bool constant = false;
            for (int a = 0; a < 3; a++)
            {
                int c = index[a] - pads[a];
                if (c >= 0 && c < shape[a]) { index[a] = c; continue; }
                switch (mode)
                {
                    case PadMode.Constant: constant = true; break;
                    case PadMode.Edge: index[a] = Math.Clamp(c, 0, shape[a] - 1); break;
                    default: index[a] = ReflectStepwise(c, shape[a]); break;
                }
            }
            expected[i] = constant ? value : x[Ravel(index, shape)];
        }
        AssertClose(expected, actual, rtol: 0, atol: 0);
    }

    [Fact]
    public void Reflect_does_not_repeat_the_edge()
    {
        // np.pad([1, 2, 3], (3, 2), mode="reflect") == [2, 3, 2, 1, 2, 3, 2, 1]
        var actual = OneOpModel.Run(OpCode.Pad, new OpParams().Set(ParamKey.Mode, (int)PadMode.Reflect).Set(ParamKey.Pads, 3, 2),
            [In([3], [1f, 2f, 3f])], [8]);
        Assert.Equal([2f, 3f, 2f, 1f, 2f, 3f, 2f, 1f], actual);
    }

    [Fact]
    public void Rejects_inconsistent_pads()
    {
        var x = Zeros(2, 3);
        AssertRejected(OpCode.Pad, new OpParams().Set(ParamKey.Pads, 1, 1), [x], [[4, 3]], "Pads");
        AssertRejected(OpCode.Pad, new OpParams().Set(ParamKey.Pads, 1, 1, 1, 1), [x], [[4, 4]], "shape");
        AssertRejected(OpCode.Pad, new OpParams().Set(ParamKey.Pads, -2, 0, -1, 0), [x], [[0, 3]], "crop");
        AssertRejected(OpCode.Pad, new OpParams().Set(ParamKey.Pads, 0, 0, 0, 0).Set(ParamKey.Mode, 7), [x], [[2, 3]], "Mode");
        AssertRejected(OpCode.Pad, new OpParams().Set(ParamKey.Pads, 0, 1, 0, 0).Set(ParamKey.Mode, (int)PadMode.Edge), [Zeros(2, 0)], [[2, 1]], "empty");
    }

    /// <summary>Mirror at the ends (without repeating them) until the coordinate is inside.</summary>
    private static int ReflectStepwise(int c, int length)
    {
        if (length == 1) return 0;
        while (c < 0 || c >= length)
        {
            if (c < 0) c = -c;
            if (c >= length) c = 2 * (length - 1) - c;
        }
        return c;
    }
}
