using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Tests.OnnxRuntime;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>
/// The pads <see cref="WindowArgs"/> resolves (auto_pad, output_shape) are what lowering hands the
/// runtime, so they must reproduce ONNX Runtime: a naive convolution written from the ONNX formulas,
/// fed those pads, must match ORT on the same model.
/// </summary>
public class WindowArgsOrtTests
{
    public static TheoryData<string, int, int, int, string, long[]?, long[]?> TransposeCases => new()
    {
        // name, input, kernel, stride, auto_pad, output_shape, output_padding
        { "plain", 4, 3, 2, "NOTSET", null, null },
        { "output_padding", 4, 3, 2, "NOTSET", null, [1, 1] },
        { "same_upper_odd_total", 3, 3, 2, "SAME_UPPER", null, null },
        { "same_lower_odd_total", 3, 3, 2, "SAME_LOWER", null, null },
        { "same_upper_even_total", 4, 4, 2, "SAME_UPPER", null, null },
        { "output_shape_odd_total", 3, 4, 2, "NOTSET", [7, 7], null },
        { "output_shape_larger_than_full", 3, 3, 3, "NOTSET", [10, 8], null },
    };

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void ConvTranspose_pads_match_onnx_runtime(string name, int size, int k, int s, string autoPad, long[]? outputShape, long[]? outputPadding)
    {
        const int cin = 2, cout = 3;
        var w = OnnxTestModels.Random(cin * cout * k * k, 11);
        var x = OnnxTestModels.Random(cin * size * size, 12);
        var b = new OnnxModelBuilder(13);
        b.AddInput("x", [1, cin, size, size]);
        b.AddInitializer("w", [cin, cout, k, k], w);
        var node = b.AddNode("ConvTranspose", ["x", "w"], ["y"], name: name).Attr("strides", [(long)s, s]);
        if (autoPad != "NOTSET") node.Attr("auto_pad", autoPad);
        if (outputShape is not null) node.Attr("output_shape", outputShape);
        if (outputPadding is not null) node.Attr("output_padding", outputPadding);
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b);
        var ct = g.Nodes[0];
        var win = WindowArgs.Read(ct, g.Opset, [size, size], [k, k]);
        var shape = g.Outputs[0].Shape!;
        int oh = shape[2], ow = shape[3];
        var expected = new float[cout * oh * ow];
        for (int c = 0; c < cin; c++)
            for (int ih = 0; ih < size; ih++)
                for (int iw = 0; iw < size; iw++)
                    for (int m = 0; m < cout; m++)
                        for (int kh = 0; kh < k; kh++)
                            for (int kw = 0; kw < k; kw++)
                            {
                                int y = ih * s - win.PadsBegin[0] + kh, xo = iw * s - win.PadsBegin[1] + kw;
                                if (y < 0 || y >= oh || xo < 0 || xo >= ow) continue;
                                expected[(m * oh + y) * ow + xo] += x[(c * size + ih) * size + iw] * w[((c * cout + m) * k + kh) * k + kw];
                            }

        using var ort = OrtReference.FromBytes(b.ToBytes());
        var actual = ort.Run([("x", x, [1, cin, size, size])])[0];

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"{name}: element {i}: {expected[i]} vs ORT {actual[i]} (pads {string.Join(',', win.PadsBegin)})");
    }

    public static TheoryData<string, int, int, int, string, long[]?, long> PoolCases => new()
    {
        // name, input, kernel, stride, auto_pad, pads, ceil_mode
        { "same_upper", 7, 3, 2, "SAME_UPPER", null, 0 },
        { "same_lower", 7, 3, 2, "SAME_LOWER", null, 0 },
        { "same_upper_even", 6, 2, 2, "SAME_UPPER", null, 0 },
        { "ceil_last_window_in_padding", 5, 2, 2, "NOTSET", [1, 1, 1, 1], 1 },
        { "ceil_partial_window", 6, 3, 2, "NOTSET", null, 1 },
    };

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void MaxPool_pads_and_ceil_mode_match_onnx_runtime(string name, int size, int k, int s, string autoPad, long[]? pads, long ceil)
    {
        var x = OnnxTestModels.Random(size * size, 21);
        var b = new OnnxModelBuilder(13);
        b.AddInput("x", [1, 1, size, size]);
        var node = b.AddNode("MaxPool", ["x"], ["y"], name: name).Attr("kernel_shape", [(long)k, k]).Attr("strides", [(long)s, s]);
        if (autoPad != "NOTSET") node.Attr("auto_pad", autoPad);
        if (pads is not null) node.Attr("pads", pads);
        if (ceil != 0) node.Attr("ceil_mode", ceil);
        b.AddOutput("y");

        var g = OnnxTestModels.Import(b);
        var win = WindowArgs.Read(g.Nodes[0], g.Opset, [size, size], [k, k]);
        int o = win.OutputSpatial[0];
        var expected = new float[o * o];
        for (int oy = 0; oy < o; oy++)
            for (int ox = 0; ox < o; ox++)
            {
                float m = float.NegativeInfinity;
                for (int kh = 0; kh < k; kh++)
                    for (int kw = 0; kw < k; kw++)
                    {
                        int iy = oy * s - win.PadsBegin[0] + kh, ix = ox * s - win.PadsBegin[1] + kw;
                        if (iy >= 0 && iy < size && ix >= 0 && ix < size) m = Math.Max(m, x[iy * size + ix]);
                    }
                expected[oy * o + ox] = m;
            }

        using var ort = OrtReference.FromBytes(b.ToBytes());
        var actual = ort.Run([("x", x, [1, 1, size, size])])[0];

        Assert.Equal(expected, actual);
    }
}
