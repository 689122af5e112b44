using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class ResizeOperatorTests
{
    private static readonly float[] Four = [1, 2, 3, 4];
    private static readonly float[] Eight = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly float[] Sixteen = Enumerable.Range(1, 16).Select(v => (float)v).ToArray();

    private static OpParams Params(ResizeMode mode, ResizeCoordinateMode coordinates, ResizeNearestMode nearest, params float[] scales) =>
        new OpParams().Set(ParamKey.Mode, (int)mode).Set(ParamKey.CoordinateMode, (int)coordinates)
            .Set(ParamKey.NearestMode, (int)nearest).Set(ParamKey.Scales, scales);

    // Expected values are ONNX's own node tests (resize_*), checked by hand against the spec's formulas.
    [Fact]
    public void Upsample_nearest_half_pixel()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.HalfPixel, ResizeNearestMode.RoundPreferFloor, 1, 1, 2, 3),
            [In([1, 1, 2, 2], Four)], [1, 1, 4, 6]);
        Assert.Equal([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4], actual);
    }

    [Fact]
    public void Downsample_nearest_half_pixel()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.HalfPixel, ResizeNearestMode.RoundPreferFloor, 1, 1, 0.6f, 0.6f),
            [In([1, 1, 2, 4], Eight)], [1, 1, 1, 2]);
        Assert.Equal([1f, 3f], actual);
    }

    [Fact]
    public void Upsample_nearest_ceil_half_pixel()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.HalfPixel, ResizeNearestMode.Ceil, 1, 1, 2, 2),
            [In([1, 1, 4, 4], Sixteen)], [1, 1, 8, 8]);
        // Rows and columns both pick 0,1,1,2,2,3,3,3.
        int[] pick = [0, 1, 1, 2, 2, 3, 3, 3];
        Assert.Equal(Grid(pick, pick), actual);
    }

    [Fact]
    public void Upsample_nearest_floor_align_corners()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.AlignCorners, ResizeNearestMode.Floor, 1, 1, 2, 2),
            [In([1, 1, 4, 4], Sixteen)], [1, 1, 8, 8]);
        int[] pick = [0, 0, 0, 1, 1, 2, 2, 3];
        Assert.Equal(Grid(pick, pick), actual);
    }

    [Fact]
    public void Upsample_nearest_round_prefer_ceil_asymmetric()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.Asymmetric, ResizeNearestMode.RoundPreferCeil, 1, 1, 2, 2),
            [In([1, 1, 4, 4], Sixteen)], [1, 1, 8, 8]);
        int[] pick = [0, 1, 1, 2, 2, 3, 3, 3];
        Assert.Equal(Grid(pick, pick), actual);
    }

    [Fact]
    public void Downsample_nearest_tf_half_pixel_for_nn()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.TfHalfPixelForNn, ResizeNearestMode.RoundPreferFloor, 1, 1, 0.75f, 0.5f),
            [In([1, 1, 4, 4], Sixteen)], [1, 1, 3, 2]);
        Assert.Equal([6f, 8f, 10f, 12f, 14f, 16f], actual);
    }

    [Fact]
    public void Upsample_linear_half_pixel()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Linear, ResizeCoordinateMode.HalfPixel, ResizeNearestMode.RoundPreferFloor, 1, 1, 2, 2),
            [In([1, 1, 2, 2], Four)], [1, 1, 4, 4]);
        AssertClose([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4], actual, rtol: 1e-6);
    }

    [Fact]
    public void Upsample_linear_align_corners()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Linear, ResizeCoordinateMode.AlignCorners, ResizeNearestMode.RoundPreferFloor, 1, 1, 2, 2),
            [In([1, 1, 2, 2], Four)], [1, 1, 4, 4]);
        double t = 1.0 / 3;
        AssertClose([1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t, 2 + t, 2 + 2 * t, 3, 3 + t, 3, 3 + t, 3 + 2 * t, 4], actual, rtol: 1e-6);
    }

    [Fact]
    public void Downsample_linear_half_pixel_and_align_corners()
    {
        var half = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Linear, ResizeCoordinateMode.HalfPixel, ResizeNearestMode.RoundPreferFloor, 1, 1, 0.6f, 0.6f),
            [In([1, 1, 2, 4], Eight)], [1, 1, 1, 2]);
        AssertClose([2.6666667, 4.3333333], half, rtol: 1e-6);

        // The resized length is scale·4 = 2.4 (not 2), so x = 1·3/1.4.
        var corners = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Linear, ResizeCoordinateMode.AlignCorners, ResizeNearestMode.RoundPreferFloor, 1, 1, 0.6f, 0.6f),
            [In([1, 1, 2, 4], Eight)], [1, 1, 1, 2]);
        AssertClose([1, 1 + 3 / 1.4], corners, rtol: 1e-6);
    }

    [Fact]
    public void Downsample_linear_pytorch_half_pixel()
    {
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Linear, ResizeCoordinateMode.PytorchHalfPixel, ResizeNearestMode.RoundPreferFloor, 1, 1, 0.75f, 0.25f),
            [In([1, 1, 4, 4], Sixteen)], [1, 1, 3, 1]);
        AssertClose([1.6666667, 7, 12.333333], actual, rtol: 1e-6);
    }

    public static TheoryData<ResizeCoordinateMode, int, int, int, int> LinearCases => new()
    {
        { ResizeCoordinateMode.HalfPixel, 5, 7, 9, 12 },
        { ResizeCoordinateMode.HalfPixel, 9, 12, 4, 5 },
        { ResizeCoordinateMode.AlignCorners, 5, 7, 9, 12 },
        { ResizeCoordinateMode.Asymmetric, 5, 7, 10, 21 },
        { ResizeCoordinateMode.PytorchHalfPixel, 6, 6, 1, 13 },
        { ResizeCoordinateMode.TfHalfPixelForNn, 4, 4, 8, 8 },
        { ResizeCoordinateMode.HalfPixel, 8, 8, 8, 16 },
    };

    /// <summary>NHWC bilinear on random data against the direct four-corner formula.</summary>
    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_matches_the_four_corner_formula(ResizeCoordinateMode mode, int h, int w, int oh, int ow)
    {
        const int c = 11;
        var x = Random(new Random(h * 100 + ow), h * w * c);
        float sh = (float)oh / h, sw = (float)ow / w;

        var actual = OneOpModel.Run(OpCode.Resize, Params(ResizeMode.Linear, mode, ResizeNearestMode.RoundPreferFloor, 1, sh, sw, 1),
            [In([1, h, w, c], x)], [1, oh, ow, c]);

        var expected = new double[oh * ow * c];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                var (y0, y1, fy) = Taps(Coordinate(mode, i, sh, h), h);
                var (x0, x1, fx) = Taps(Coordinate(mode, j, sw, w), w);
                for (int ch = 0; ch < c; ch++)
                {
                    double v00 = x[(y0 * w + x0) * c + ch], v01 = x[(y0 * w + x1) * c + ch];
                    double v10 = x[(y1 * w + x0) * c + ch], v11 = x[(y1 * w + x1) * c + ch];
                    expected[(i * ow + j) * c + ch] = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
                }
            }
        AssertClose(expected, actual, rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void Nearest_leaves_unscaled_axes_alone()
    {
        var x = Random(new Random(4), 2 * 3 * 4 * 5);
        var actual = OneOpModel.Run(OpCode.Resize,
            Params(ResizeMode.Nearest, ResizeCoordinateMode.Asymmetric, ResizeNearestMode.Floor, 1, 2, 2, 1),
            [In([2, 3, 4, 5], x)], [2, 6, 8, 5]);
        var expected = new double[2 * 6 * 8 * 5];
        for (int i = 0; i < expected.Length; i++)
        {
            var o = Unravel(i, [2, 6, 8, 5]);
            expected[i] = x[Ravel([o[0], o[1] / 2, o[2] / 2, o[3]], [2, 3, 4, 5])];
        }
        AssertClose(expected, actual, rtol: 0, atol: 0);
    }

    [Fact]
    public void Rejects_inconsistent_params()
    {
        var x = Zeros(1, 2, 2, 1);
        var nearest = ResizeNearestMode.RoundPreferFloor;
        AssertRejected(OpCode.Resize, Params(ResizeMode.Linear, ResizeCoordinateMode.HalfPixel, nearest, 2, 2), [x], [[1, 4, 4, 1]], "Scales");
        AssertRejected(OpCode.Resize, Params(ResizeMode.Linear, ResizeCoordinateMode.HalfPixel, nearest, 1, 2, 2, 1), [x], [[1, 8, 4, 1]], "output size");
        AssertRejected(OpCode.Resize, Params(ResizeMode.Linear, ResizeCoordinateMode.HalfPixel, nearest, 1, 0, 2, 1), [x], [[1, 0, 4, 1]], "positive");
        AssertRejected(OpCode.Resize, Params((ResizeMode)5, ResizeCoordinateMode.HalfPixel, nearest, 1, 2, 2, 1), [x], [[1, 4, 4, 1]], "Mode");
        AssertRejected(OpCode.Resize, Params(ResizeMode.Nearest, (ResizeCoordinateMode)9, nearest, 1, 2, 2, 1), [x], [[1, 4, 4, 1]], "CoordinateMode");
        AssertRejected(OpCode.Resize, Params(ResizeMode.Nearest, ResizeCoordinateMode.HalfPixel, (ResizeNearestMode)9, 1, 2, 2, 1), [x], [[1, 4, 4, 1]], "NearestMode");
        AssertRejected(OpCode.Resize, Params(ResizeMode.Nearest, ResizeCoordinateMode.HalfPixel, nearest, 1, 2, 2, 1), [x], [[1, 4, 4]], "rank");
    }

    private static float[] Grid(int[] rows, int[] cols)
    {
        var result = new float[rows.Length * cols.Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < cols.Length; j++) result[i * cols.Length + j] = Sixteen[rows[i] * 4 + cols[j]];
        return result;
    }

    /// <summary>ONNX coordinate_transformation_mode, with the resized length taken as scale·length as the reference does.</summary>
    private static double Coordinate(ResizeCoordinateMode mode, int o, float scale, int length)
    {
        double resized = (double)scale * length;
        return mode switch
        {
            ResizeCoordinateMode.HalfPixel => (o + 0.5) / scale - 0.5,
            ResizeCoordinateMode.PytorchHalfPixel => resized == 1 ? -0.5 : (o + 0.5) / scale - 0.5,
            ResizeCoordinateMode.AlignCorners => resized == 1 ? 0 : o * (length - 1) / (resized - 1),
            ResizeCoordinateMode.Asymmetric => o / (double)scale,
            _ => (o + 0.5) / scale,
        };
    }

    /// <summary>The two neighbours of a coordinate with edge padding, and the weight of the upper one.</summary>
    private static (int Lower, int Upper, double Fraction) Taps(double coordinate, int length)
    {
        coordinate = Math.Clamp(coordinate, 0, length - 1);
        int lower = (int)Math.Floor(coordinate);
        return (lower, Math.Min(lower + 1, length - 1), coordinate - lower);
    }
}
