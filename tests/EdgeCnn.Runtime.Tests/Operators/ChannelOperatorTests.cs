using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>LRN, ChannelAffine, DepthToSpace, SpaceToDepth and ChannelShuffle against ONNX's NCHW definitions
/// (the rearrangements written as ONNX writes them: reshape, transpose, reshape).</summary>
public sealed class ChannelOperatorTests
{
    [Theory]
    [InlineData(1, 1e-4f, 0.75f, 1f)]
    [InlineData(3, 0.5f, 0.75f, 2f)]
    [InlineData(4, 1f, 0.5f, 1f)]
    [InlineData(5, 2f, 1.5f, 0.5f)]
    public void Lrn_matches_the_ONNX_formula(int size, float alpha, float beta, float bias)
    {
        int n = 2, c = 9, h = 3, w = 4;
        var x = Random(new Random(size), n * c * h * w, -2f, 2f);
        var expected = new double[x.Length];
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < h * w; i++)
        {
            double sum = 0;
            for (int k = ch - (int)Math.Floor((size - 1) / 2.0); k <= ch + (int)Math.Ceiling((size - 1) / 2.0); k++)
                if (k >= 0 && k < c) sum += Math.Pow(x[(b * c + k) * h * w + i], 2);
            int at = (b * c + ch) * h * w + i;
            expected[at] = x[at] / Math.Pow(bias + alpha / size * sum, beta);
        }
        var p = new OpParams().Set(ParamKey.Size, size).Set(ParamKey.Alpha, alpha).Set(ParamKey.Beta, beta).Set(ParamKey.Bias, bias);
        var y = OneOpModel.Run(OpCode.Lrn, p, [TestTensor.Input([n, h, w, c], ToNhwc(x, n, c, h, w))], [n, h, w, c]);
        AssertClose(expected, ToNchw(y, n, c, h, w), 1e-5, 1e-6);
    }

    [Fact]
    public void ChannelAffine_is_an_inference_batch_normalization()
    {
        int n = 2, c = 11, h = 3, w = 5;
        var rng = new Random(8);
        var x = Random(rng, n * c * h * w, -3f, 3f);
        var gamma = Random(rng, c);
        var beta = Random(rng, c);
        var mean = Random(rng, c);
        var variance = Random(rng, c, 0.1f, 2f);
        const double epsilon = 1e-5;
        var expected = new double[x.Length];
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < h * w; i++)
        {
            int at = (b * c + ch) * h * w + i;
            expected[at] = Math.Min(Math.Max((x[at] - mean[ch]) / Math.Sqrt(variance[ch] + epsilon) * gamma[ch] + beta[ch], 0), 6);
        }
        var scale = Enumerable.Range(0, c).Select(i => (float)(gamma[i] / Math.Sqrt(variance[i] + epsilon))).ToArray();
        var shift = Enumerable.Range(0, c).Select(i => beta[i] - mean[i] * scale[i]).ToArray();
        var p = new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Clip).Set(ParamKey.Alpha, 0f).Set(ParamKey.Beta, 6f);
        var y = OneOpModel.Run(OpCode.ChannelAffine, p,
            [TestTensor.Input([n, h, w, c], ToNhwc(x, n, c, h, w)), TestTensor.Constant([c], scale), TestTensor.Constant([c], shift)], [n, h, w, c]);
        AssertClose(expected, ToNchw(y, n, c, h, w), atol: 1e-5);
    }

    [Theory]
    [InlineData(0, 2, 8)]
    [InlineData(0, 3, 18)]
    [InlineData(1, 2, 12)]
    [InlineData(1, 3, 9)]
    public void DepthToSpace_matches_ONNX_reshape_transpose(int mode, int b, int c)
    {
        int n = 2, h = 3, w = 4, oc = c / (b * b);
        var x = Random(new Random(b * c), n * c * h * w);
        // ONNX: DCR reshapes to [N,b,b,C/b²,H,W] and permutes (0,3,4,1,5,2); CRD reshapes to [N,C/b²,b,b,H,W] and permutes (0,1,4,2,5,3).
        var expected = mode == 0
            ? Transpose(x, [n, b, b, oc, h, w], [0, 3, 4, 1, 5, 2])
            : Transpose(x, [n, oc, b, b, h, w], [0, 1, 4, 2, 5, 3]);
        var p = new OpParams().Set(ParamKey.BlockSize, b).Set(ParamKey.Mode, mode);
        var y = OneOpModel.Run(OpCode.DepthToSpace, p, [TestTensor.Input([n, h, w, c], ToNhwc(x, n, c, h, w))], [n, h * b, w * b, oc]);
        Assert.Equal(expected, ToNchw(y, n, oc, h * b, w * b));
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    public void SpaceToDepth_matches_ONNX_reshape_transpose(int b, int c)
    {
        int n = 2, h = 2 * b, w = 3 * b;
        var x = Random(new Random(b), n * c * h * w);
        // ONNX: reshape to [N,C,H/b,b,W/b,b], permute (0,3,5,1,2,4).
        var expected = Transpose(x, [n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4]);
        var y = OneOpModel.Run(OpCode.SpaceToDepth, new OpParams().Set(ParamKey.BlockSize, b),
            [TestTensor.Input([n, h, w, c], ToNhwc(x, n, c, h, w))], [n, h / b, w / b, c * b * b]);
        Assert.Equal(expected, ToNchw(y, n, c * b * b, h / b, w / b));
    }

    [Theory]
    [InlineData(2, 6)]
    [InlineData(3, 12)]
    [InlineData(4, 4)]
    public void ChannelShuffle_matches_reshape_transpose_reshape(int groups, int c)
    {
        int n = 1, h = 3, w = 2;
        var x = Random(new Random(groups), n * c * h * w);
        // The pattern the compiler fuses: reshape [N,G,C/G,H,W], transpose (0,2,1,3,4), reshape back.
        var expected = Transpose(x, [n, groups, c / groups, h, w], [0, 2, 1, 3, 4]);
        var y = OneOpModel.Run(OpCode.ChannelShuffle, new OpParams().Set(ParamKey.Group, groups),
            [TestTensor.Input([n, h, w, c], ToNhwc(x, n, c, h, w))], [n, h, w, c]);
        Assert.Equal(expected, ToNchw(y, n, c, h, w));
    }

    /// <summary>numpy.transpose of a row-major tensor.</summary>
    private static float[] Transpose(float[] data, int[] shape, int[] perm)
    {
        int rank = shape.Length;
        var strides = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; s *= shape[i], i--) strides[i] = s;
        var outShape = perm.Select(a => shape[a]).ToArray();
        var result = new float[data.Length];
        var index = new int[rank];
        for (int o = 0; o < result.Length; o++)
        {
            int source = 0;
            for (int a = 0; a < rank; a++) source += index[a] * strides[perm[a]];
            result[o] = data[source];
            for (int a = rank - 1; a >= 0 && ++index[a] == outShape[a]; a--) index[a] = 0;
        }
        return result;
    }
}
