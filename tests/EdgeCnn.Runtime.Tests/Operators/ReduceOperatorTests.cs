using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class ReduceOperatorTests
{
    private static readonly string[] AxisSets = ["", "0", "1,2", "3", "0,3", "1,3", "0,1,2,3", "2"];

    public static IEnumerable<TheoryDataRow<ReduceKind, string, bool>> Cases()
    {
        foreach (var kind in Enum.GetValues<ReduceKind>())
            foreach (var axes in AxisSets)
                foreach (bool keep in new[] { true, false })
                    yield return new TheoryDataRow<ReduceKind, string, bool>(kind, axes, keep);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_a_naive_reduction(ReduceKind kind, string axesText, bool keepDims)
    {
        int[] shape = [2, 3, 4, 5];
        var axes = BinaryOperatorTests.Parse(axesText);
        var reduced = new bool[4];
        foreach (int a in axes) reduced[a] = true;
        if (axes.Length == 0) Array.Fill(reduced, true);
        var keptShape = shape.Select((d, a) => reduced[a] ? 1 : d).ToArray();
        var outShape = keepDims ? keptShape : shape.Where((_, a) => !reduced[a]).ToArray();
        var x = Random(new Random(axesText.Length * 13 + (int)kind), Count(shape), 0.5f, 1.5f);
        for (int i = 0; i < x.Length; i += 3) x[i] = -x[i];

        var parameters = new OpParams().Set(ParamKey.Kind, (int)kind).Set(ParamKey.KeepDims, keepDims ? 1 : 0);
        if (axes.Length > 0) parameters.Set(ParamKey.Axes, axes);
        var actual = OneOpModel.Run(OpCode.Reduce, parameters, [In(shape, x)], outShape);

        var groups = new List<double>[Count(keptShape)];
        for (int i = 0; i < groups.Length; i++) groups[i] = [];
        for (int i = 0; i < x.Length; i++)
        {
            var index = Unravel(i, shape);
            for (int a = 0; a < 4; a++) if (reduced[a]) index[a] = 0;
            groups[Ravel(index, keptShape)].Add(x[i]);
        }
        var expected = groups.Select(g => kind switch
        {
            ReduceKind.Mean => g.Average(),
            ReduceKind.Sum => g.Sum(),
            ReduceKind.Max => g.Max(),
            ReduceKind.Min => g.Min(),
            ReduceKind.Prod => g.Aggregate(1.0, (p, v) => p * v),
            ReduceKind.L2 => Math.Sqrt(g.Sum(v => v * v)),
            ReduceKind.SumSquare => g.Sum(v => v * v),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        }).ToArray();
        AssertClose(expected, actual, rtol: 1e-6, atol: 1e-6);
    }

    [Fact]
    public void Rejects_bad_axes_and_shapes()
    {
        var mean = new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Mean);
        AssertRejected(OpCode.Reduce, new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Mean).Set(ParamKey.Axes, 1, 0), [Zeros(2, 3)], [[1, 1]], "ascending");
        AssertRejected(OpCode.Reduce, new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Mean).Set(ParamKey.Axes, 2), [Zeros(2, 3)], [[2, 3]], "Axes");
        AssertRejected(OpCode.Reduce, new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Sum).Set(ParamKey.Axes, 1).Set(ParamKey.KeepDims, 0), [Zeros(2, 3)], [[2, 1]], "shape");
        AssertRejected(OpCode.Reduce, mean, [Zeros(2, 3)], [[2, 3]], "shape");
        AssertRejected(OpCode.Reduce, new OpParams().Set(ParamKey.Kind, 0), [Zeros(2, 3)], [[1, 1]], "Kind");
        AssertRejected(OpCode.Reduce, new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Mean).Set(ParamKey.KeepDims, 3), [Zeros(2, 3)], [[1, 1]], "KeepDims");
    }
}
