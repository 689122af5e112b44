using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>Expected values are computed by hand from the ONNX operator definitions.</summary>
public class ConstantEvaluatorTests
{
    private static TensorData[] Eval(string op, int opset, TensorData?[] inputs, Action<Node>? attrs = null, int outputs = 1)
    {
        var values = inputs.Select((t, i) => t is null ? null : Value.FromConstant($"in{i}", t)).ToList();
        var node = new Node(op, "n", values, Enumerable.Range(0, outputs).Select(i => new Value($"out{i}", ElementType.Undefined)));
        attrs?.Invoke(node);
        Assert.True(ConstantEvaluator.TryEvaluate(node, opset, out var result), $"{op} did not evaluate");
        return result;
    }

    private static TensorData L(int[] shape, params long[] v) => TensorData.FromLongs(shape, v);
    private static TensorData I32(int[] shape, params long[] v) => TensorData.FromLongs(shape, v, ElementType.Int32);
    private static TensorData F(int[] shape, params float[] v) => TensorData.FromFloats(shape, v);

    [Fact]
    public void Integer_division_truncates_toward_zero_and_mod_follows_fmod()
    {
        Assert.Equal([-3L, 3, -3, 3], Eval("Div", 13, [L([4], -7, 7, 7, -7), L([4], 2, 2, -2, -2)])[0].Longs);
        // fmod = 0: the result takes the divisor's sign (Python %); fmod = 1: the dividend's (C fmod).
        Assert.Equal([1L, 1, -1, -1], Eval("Mod", 13, [L([4], -7, 7, 7, -7), L([4], 2, 2, -2, -2)])[0].Longs);
        Assert.Equal([-1L, 1, 1, -1], Eval("Mod", 13, [L([4], -7, 7, 7, -7), L([4], 2, 2, -2, -2)], n => n.Set("fmod", 1L))[0].Longs);
        Assert.Throws<OnnxImportException>(() => Eval("Div", 13, [L([1], 1), L([1], 0)]));
    }

    [Fact]
    public void Int32_arithmetic_wraps_at_32_bits()
    {
        var r = Eval("Add", 13, [I32([1], int.MaxValue), I32([1], 1)])[0];
        Assert.Equal(ElementType.Int32, r.Type);
        Assert.Equal([(long)int.MinValue], r.Longs);
        Assert.Equal([1L << 40], Eval("Mul", 13, [L([1], 1L << 20), L([1], 1L << 20)])[0].Longs);
    }

    [Fact]
    public void Cast_truncates_floats_and_wraps_integers()
    {
        var x = F([5], 2.7f, -2.7f, 0.5f, 300f, float.NaN);
        Assert.Equal([2L, -2, 0, 300, 0], Eval("Cast", 13, [x], n => n.Set("to", (long)ElementType.Int64))[0].Longs);
        Assert.Equal([2L, 255, 0], Eval("Cast", 13, [F([3], 2.7f, 255.9f, 0.5f)], n => n.Set("to", (long)ElementType.UInt8))[0].Longs);
        Assert.Equal([-2L], Eval("Cast", 13, [L([1], 254)], n => n.Set("to", (long)ElementType.Int8))[0].Longs);
        Assert.Equal([1L, 1, 1, 1, 1], Eval("Cast", 13, [x], n => n.Set("to", (long)ElementType.Bool))[0].Longs);
        var h = Eval("Cast", 13, [F([1], 1.0009765625f + 0.0001f)], n => n.Set("to", (long)ElementType.Float16))[0];
        Assert.Equal(ElementType.Float16, h.Type);
        Assert.Equal(1.0009765625f, h.Floats![0]); // rounded to the nearest half
        Assert.Equal([7f], Eval("Cast", 13, [L([1], 7)], n => n.Set("to", (long)ElementType.Float32))[0].Floats);
    }

    [Fact]
    public void Shape_needs_only_a_static_shape()
    {
        var x = new Value("x", ElementType.Float32, [2, 3, 4]);
        var node = new Node("Shape", "s", [x], [new Value("s", ElementType.Undefined)]);
        Assert.True(ConstantEvaluator.TryEvaluate(node, 13, out var r));
        Assert.Equal([2L, 3, 4], r[0].Longs);
        var size = new Node("Size", "z", [x], [new Value("z", ElementType.Undefined)]);
        Assert.True(ConstantEvaluator.TryEvaluate(size, 13, out var z));
        Assert.Equal([24L], z[0].Longs);
        Assert.Equal([], z[0].Shape);
    }

    [Fact]
    public void Nodes_with_runtime_inputs_or_unknown_ops_do_not_evaluate()
    {
        var x = new Value("x", ElementType.Float32, [2]);
        var add = new Node("Add", "a", [x, Value.FromConstant("k", F([2], 1, 2))], [new Value("y", ElementType.Undefined)]);
        Assert.False(ConstantEvaluator.TryEvaluate(add, 13, out _));
        var conv = new Node("Conv", "c", [Value.FromConstant("a", F([1, 1, 1, 1], 1)), Value.FromConstant("w", F([1, 1, 1, 1], 1))], [new Value("y", ElementType.Undefined)]);
        Assert.False(ConstantEvaluator.TryEvaluate(conv, 13, out _));
        var big = new Node("ConstantOfShape", "big", [Value.FromConstant("s", L([2], 10000, 10000))], [new Value("y", ElementType.Undefined)]);
        Assert.False(ConstantEvaluator.TryEvaluate(big, 13, out _));
    }

    [Fact]
    public void Gather_with_negative_indices()
    {
        var data = L([3, 2], 10, 11, 20, 21, 30, 31);
        Assert.Equal([30L, 31, 10, 11], Eval("Gather", 13, [data, L([2], -1, 0)])[0].Longs);
        Assert.Equal([11L, 21, 31], Eval("Gather", 13, [data, TensorData.Scalar(1L)], n => n.Set("axis", 1L))[0].Longs);
        Assert.Equal([3], Eval("Gather", 13, [data, TensorData.Scalar(1L)], n => n.Set("axis", 1L))[0].Shape);
    }

    [Fact]
    public void Slice_with_negative_steps_and_clamping()
    {
        var x = L([2, 5], 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var r = Eval("Slice", 13, [x, L([1], -1), L([1], long.MinValue), L([1], 1), L([1], -2)])[0];
        Assert.Equal([2, 3], r.Shape);
        Assert.Equal([4L, 2, 0, 9, 7, 5], r.Longs);
        var attr = Eval("Slice", 9, [x], n => n.Set("starts", [1L, 1]).Set("ends", [long.MaxValue, 3]))[0];
        Assert.Equal([6L, 7], attr.Longs);
    }

    [Fact]
    public void Concat_Transpose_Reshape_Unsqueeze_Squeeze()
    {
        var cat = Eval("Concat", 13, [L([2, 1], 1, 2), L([2, 2], 3, 4, 5, 6)], n => n.Set("axis", 1L))[0];
        Assert.Equal([2, 3], cat.Shape);
        Assert.Equal([1L, 3, 4, 2, 5, 6], cat.Longs);
        var t = Eval("Transpose", 13, [F([2, 3], 1, 2, 3, 4, 5, 6)], n => n.Set("perm", [1L, 0]))[0];
        Assert.Equal([3, 2], t.Shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], t.Floats);
        var u = Eval("Unsqueeze", 13, [TensorData.Scalar(5L), L([1], 0)])[0];
        Assert.Equal([1], u.Shape);
        Assert.Equal([], Eval("Squeeze", 11, [u], n => n.Set("axes", [0L]))[0].Shape);
        Assert.Equal([3, 2], Eval("Reshape", 13, [F([6], 1, 2, 3, 4, 5, 6), L([2], -1, 2)])[0].Shape);
    }

    [Fact]
    public void Split_outputs()
    {
        var r = Eval("Split", 13, [L([5], 1, 2, 3, 4, 5), L([2], 2, 3)], outputs: 2);
        Assert.Equal([1L, 2], r[0].Longs);
        Assert.Equal([3L, 4, 5], r[1].Longs);
    }

    [Fact]
    public void Range_ConstantOfShape_Expand_Tile_Where_Equal()
    {
        Assert.Equal([10L, 7, 4], Eval("Range", 13, [TensorData.Scalar(10L), TensorData.Scalar(2L), TensorData.Scalar(-3L)])[0].Longs);
        Assert.Equal([0f, 0.5f, 1f], Eval("Range", 13, [TensorData.Scalar(0f), TensorData.Scalar(1.2f), TensorData.Scalar(0.5f)])[0].Floats);
        var ones = Eval("ConstantOfShape", 13, [L([2], 2, 2)], n => n.Attributes["value"] = AttributeValue.Of(L([1], 1)))[0];
        Assert.Equal(ElementType.Int64, ones.Type);
        Assert.Equal([1L, 1, 1, 1], ones.Longs);
        Assert.Equal([0f, 0f], Eval("ConstantOfShape", 13, [L([1], 2)])[0].Floats);
        var e = Eval("Expand", 13, [L([2, 1], 1, 2), L([2], 2, 3)])[0];
        Assert.Equal([1L, 1, 1, 2, 2, 2], e.Longs);
        var tile = Eval("Tile", 13, [L([2], 1, 2), L([1], 3)])[0];
        Assert.Equal([1L, 2, 1, 2, 1, 2], tile.Longs);
        var eq = Eval("Equal", 13, [L([3], 1, 2, 3), TensorData.Scalar(2L)])[0];
        Assert.Equal(ElementType.Bool, eq.Type);
        Assert.Equal([0L, 1, 0], eq.Longs);
        var w = Eval("Where", 13, [eq, L([3], 7, 8, 9), TensorData.Scalar(-1L)])[0];
        Assert.Equal([-1L, 8, -1], w.Longs);
    }

    [Fact]
    public void Reductions_and_float_math()
    {
        var x = F([2, 3], 1, 2, 3, 4, 5, 6);
        Assert.Equal([6f, 15f], Eval("ReduceSum", 13, [x, L([1], 1)], n => n.Set("keepdims", 0L))[0].Floats);
        Assert.Equal([2.5f, 3.5f, 4.5f], Eval("ReduceMean", 13, [x], n => n.Set("axes", [0L]))[0].Floats);
        Assert.Equal([1, 3], Eval("ReduceMean", 13, [x], n => n.Set("axes", [0L]))[0].Shape);
        Assert.Equal([720L], Eval("ReduceProd", 18, [L([2, 3], 1, 2, 3, 4, 5, 6)], n => n.Set("keepdims", 0L))[0].Longs);
        Assert.Equal([3f, 6f], Eval("ReduceMax", 13, [x], n => n.Set("axes", [1L]).Set("keepdims", 0L))[0].Floats);
        Assert.Equal([1f, 2f, 3f], Eval("Sqrt", 13, [F([3], 1, 4, 9)])[0].Floats);
        Assert.Equal([0f, 6f, 3f], Eval("Clip", 13, [F([3], -1, 7, 3), TensorData.Scalar(0f), TensorData.Scalar(6f)])[0].Floats);
        Assert.Equal([8f, 0.25f], Eval("Pow", 13, [F([2], 2, 2), F([2], 3, -2)])[0].Floats);
        Assert.Equal([4f], Eval("Mean", 13, [F([1], 2), F([1], 4), F([1], 6)])[0].Floats);
        Assert.Equal([2f, 0f], Eval("Floor", 13, [F([2], 2.5f, 0.5f)])[0].Floats);
        Assert.Equal([2f, 0f, -2f], Eval("Round", 13, [F([3], 2.5f, 0.5f, -1.5f)])[0].Floats);
        Assert.Equal([1L, 0, 0], Eval("Less", 13, [F([3], 1, 2, float.NaN), TensorData.Scalar(2f)])[0].Longs);
    }
}
