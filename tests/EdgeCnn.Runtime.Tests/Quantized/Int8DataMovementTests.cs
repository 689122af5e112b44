using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// The ops that only move elements run on Int8 data with the input's quantization on the output: each is run
/// on int8 values and, as the reference, on the same values as floats through the float op (tested against
/// its own naive references). The bytes must be the float results; a constant pad is the quantized Value.
/// </summary>
public sealed class Int8DataMovementTests
{
    private static readonly QuantParams Q = QuantParams.PerTensor(0.125f, -7);

    public sealed record Case(OpCode Code, int[] InShape, int[][] OutShapes, Func<OpParams> Params);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["reshape"] = new(OpCode.Reshape, [2, 3, 4], [[4, 6]], () => new OpParams()),
        ["transpose 4-D"] = new(OpCode.Transpose, [2, 3, 4, 5], [[2, 5, 3, 4]], () => new OpParams().Set(ParamKey.Perm, 0, 3, 1, 2)),
        ["transpose tiled"] = new(OpCode.Transpose, [37, 45], [[45, 37]], () => new OpParams().Set(ParamKey.Perm, 1, 0)),
        ["slice with negative step"] = new(OpCode.Slice, [5, 6, 7], [[2, 3, 3]],
            () => new OpParams().Set(ParamKey.Starts, 1, 5, 0).Set(ParamKey.Ends, 5, 0, 7).Set(ParamKey.Steps, 2, -2, 3)),
        ["split"] = new(OpCode.Split, [4, 6, 5], [[4, 1, 5], [4, 3, 5], [4, 2, 5]], () => new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Sizes, 1, 3, 2)),
        ["gather"] = new(OpCode.Gather, [4, 5, 3], [[4, 2, 2, 3]],
            () => new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Indices, 4, 0, 0, 2).Set(ParamKey.IndicesShape, 2, 2)),
        ["channel shuffle"] = new(OpCode.ChannelShuffle, [1, 3, 3, 12], [[1, 3, 3, 12]], () => new OpParams().Set(ParamKey.Group, 3)),
        ["depth to space DCR"] = new(OpCode.DepthToSpace, [1, 2, 3, 8], [[1, 4, 6, 2]], () => new OpParams().Set(ParamKey.BlockSize, 2)),
        ["depth to space CRD"] = new(OpCode.DepthToSpace, [1, 2, 3, 8], [[1, 4, 6, 2]], () => new OpParams().Set(ParamKey.BlockSize, 2).Set(ParamKey.Mode, 1)),
        ["space to depth"] = new(OpCode.SpaceToDepth, [1, 4, 6, 3], [[1, 2, 3, 12]], () => new OpParams().Set(ParamKey.BlockSize, 2)),
        ["pad constant"] = new(OpCode.Pad, [2, 3, 4], [[3, 5, 7]], () => new OpParams().Set(ParamKey.Pads, 1, 0, 2, 0, 2, 1).Set(ParamKey.Value, 0.7f)),
        ["pad constant, saturating value"] = new(OpCode.Pad, [2, 3, 4], [[2, 4, 4]], () => new OpParams().Set(ParamKey.Pads, 0, 1, 0, 0, 0, 0).Set(ParamKey.Value, -1000f)),
        ["pad reflect with crop"] = new(OpCode.Pad, [3, 4, 5], [[5, 4, 7]],
            () => new OpParams().Set(ParamKey.Mode, (int)PadMode.Reflect).Set(ParamKey.Pads, 1, -1, 2, 1, 1, 0)),
        ["pad edge"] = new(OpCode.Pad, [1, 3, 3, 2], [[1, 6, 5, 2]], () => new OpParams().Set(ParamKey.Mode, (int)PadMode.Edge).Set(ParamKey.Pads, 0, 1, 1, 0, 0, 2, 1, 0)),
        ["resize nearest"] = new(OpCode.Resize, [1, 3, 4, 2], [[1, 6, 8, 2]], () => new OpParams().Set(ParamKey.Scales, 1f, 2f, 2f, 1f)),
        ["resize nearest, downscale"] = new(OpCode.Resize, [1, 7, 9, 3], [[1, 3, 4, 3]],
            () => new OpParams().Set(ParamKey.Scales, 1f, 3f / 7, 4f / 9, 1f).Set(ParamKey.CoordinateMode, (int)ResizeCoordinateMode.Asymmetric)),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Int8_bytes_are_the_float_op_on_the_same_values(string name)
    {
        var c = Cases[name];
        var x = RandomInt8(new Random(name.Length), c.InShape.Aggregate(1, (p, d) => p * d));

        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, c.InShape, Q);
        var outs = c.OutShapes.Select((s, i) => b.Activation($"y{i}", DataType.Int8, s, Q)).ToArray();
        b.Op(c.Code, [xi], outs, c.Params(), name);
        foreach (var o in outs) b.Output(o);
        var actual = OpRunner.Run(b.Build(), OpRunner.Bytes(x));

        var floatParams = c.Params();
        if (c.Code == OpCode.Pad && floatParams.Has(ParamKey.Value))
            floatParams.Set(ParamKey.Value, (float)Quantize(floatParams.GetFloat(ParamKey.Value), Q.Scale, Q.ZeroPoint));
        var expected = OneOpModel.RunAll(c.Code, floatParams, [TestTensor.Input(c.InShape, x.Select(v => (float)v).ToArray())], c.OutShapes);
        Assert.Equal(expected.Length, actual.Length);
        for (int o = 0; o < expected.Length; o++)
            Assert.Equal(expected[o].Select(v => checked((sbyte)v)).ToArray(), OpRunner.ToSbytes(actual[o]));
    }

    [Theory]
    [InlineData(OpCode.Reshape)]
    [InlineData(OpCode.Transpose)]
    [InlineData(OpCode.ChannelShuffle)]
    public void A_different_output_quantization_is_refused(OpCode code)
    {
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [1, 2, 2, 4], Q);
        int yi = b.Activation("y", DataType.Int8, [1, 2, 2, 4], QuantParams.PerTensor(0.25f, -7));
        var p = new OpParams();
        if (code == OpCode.Transpose) p.Set(ParamKey.Perm, 0, 1, 2, 3);
        if (code == OpCode.ChannelShuffle) p.Set(ParamKey.Group, 2);
        var model = b.Op(code, [xi], [yi], p, "move").Output(yi).Build();
        var e = Assert.Throws<ModelFormatException>(() => new Session(model));
        Assert.Contains("op 'move'", e.Message);
        Assert.Contains("'x'", e.Message);
        Assert.Contains("'y'", e.Message);
        Assert.Contains("same quantization", e.Message);
    }

    [Fact]
    public void Int8_input_with_a_float_output_is_refused()
    {
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [2, 3], Q);
        int yi = b.Activation("y", DataType.Float32, [3, 2]);
        var model = b.Op(OpCode.Reshape, [xi], [yi], null, "reshape").Output(yi).Build();
        var e = Assert.Throws<ModelFormatException>(() => new Session(model));
        Assert.Contains("'x' (Int8) and 'y' (Float32) must both be Float32 or both Int8", e.Message);
    }
}
