using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Scale, zero point, weight and bias arithmetic against values worked out by hand from the scheme's formulas.</summary>
public sealed class QuantSchemeTests
{
    [Theory]
    [InlineData(0f, 6f, 6.0 / 255, -128)]        // ReLU6 output: 0 is the lowest code
    [InlineData(-1f, 3f, 4.0 / 255, -64)]        // −128 − (−1)/(4/255) = −64.25 → −64
    [InlineData(2f, 5f, 5.0 / 255, -128)]        // widened to [0, 5]
    [InlineData(-3f, -1f, 3.0 / 255, 127)]       // widened to [−3, 0]: 0 is the highest code
    [InlineData(-2f, 3f, 5.0 / 255, -26)]        // −128 + 2/(5/255) = −26
    public void ActivationParamsFollowTheFormula(float min, float max, double scale, int zeroPoint)
    {
        var q = QuantScheme.ForActivation(new TensorRange(min, max));
        Assert.True(q.IsPerTensor);
        Assert.Equal((float)scale, q.Scale);
        Assert.Equal(zeroPoint, q.ZeroPoint);
    }

    [Fact]
    public void AllZeroRangeGetsAUsableScale()
    {
        var q = QuantScheme.ForActivation(new TensorRange(0, 0));
        Assert.Equal(1f, q.Scale);
        Assert.Equal(-128, q.ZeroPoint);
    }

    [Theory]
    [InlineData(float.NaN, 1f)]
    [InlineData(0f, float.PositiveInfinity)]
    [InlineData(2f, 1f)]
    public void BadRangesAreRejected(float min, float max) =>
        Assert.Throws<ArgumentException>(() => QuantScheme.ForActivation(new TensorRange(min, max)));

    [Fact]
    public void RandomRangesMapMinToLowestCodeAndZeroExactly()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            float min = (float)(-random.NextDouble() * Math.Pow(10, random.Next(-3, 4)));
            float max = (float)(random.NextDouble() * Math.Pow(10, random.Next(-3, 4)));
            var q = QuantScheme.ForActivation(new TensorRange(min, max));
            Assert.InRange(q.ZeroPoint, -128, 127);
            Assert.Equal(0.0, QuantScheme.Dequantize(q.ZeroPoint, q.Scale, q.ZeroPoint));
            Assert.Equal(-128, QuantScheme.Quantize(min, q.Scale, q.ZeroPoint));
            Assert.InRange(QuantScheme.Quantize(max, q.Scale, q.ZeroPoint), 126, 127);
            // Every real value of the range is within half a step of its code's value (or clamped at the ends).
            double x = min + (max - min) * random.NextDouble();
            int code = QuantScheme.Quantize(x, q.Scale, q.ZeroPoint);
            if (code is > -128 and < 127)
                Assert.True(Math.Abs(QuantScheme.Dequantize(code, q.Scale, q.ZeroPoint) - x) <= q.Scale * 0.5000001, $"x {x}, code {code}, scale {q.Scale}");
        }
    }

    [Theory]
    [InlineData(2.5, 0.5f, 0, 5)]     // exact
    [InlineData(1.25, 0.5f, 0, 2)]    // 2.5 → 2 (half to even)
    [InlineData(1.75, 0.5f, 0, 4)]    // 3.5 → 4 (half to even)
    [InlineData(-1.25, 0.5f, 3, 1)]   // −2.5 → −2, + 3
    [InlineData(1000.0, 0.5f, 0, 127)]
    [InlineData(-1000.0, 0.5f, 0, -128)]
    public void QuantizeRoundsHalfToEvenAndSaturates(double x, float scale, int zeroPoint, int expected)
    {
        Assert.Equal(expected, QuantScheme.Quantize(x, scale, zeroPoint));
    }

    [Fact]
    public void NaNQuantizesToTheZeroPoint() => Assert.Equal(-7, QuantScheme.Quantize(double.NaN, 0.1f, -7));

    [Fact]
    public void PerChannelWeightsUseEachRowsMaximum()
    {
        float[] w =
        [
            0.5f, -1.0f, 0.25f,
            0f, 0f, 0f,
            2f, 1f, -0.5f,
        ];
        var (values, quant) = QuantScheme.QuantizeWeights(w, [3, 3], perChannel: true);
        Assert.Equal(0, quant.Axis);
        Assert.Equal([1f / 127, 1f / 127, 2f / 127], quant.Scales);
        Assert.Equal([0, 0, 0], quant.ZeroPoints);
        // 0.5·127 = 63.5 → 64 and 0.25·127 = 31.75 → 32; the zero row borrows the smallest scale and stays 0.
        Assert.Equal([64L, -127, 32, 0, 0, 0, 127, 64, -32], values);
    }

    [Fact]
    public void PerTensorWeightsShareTheLargestMagnitude()
    {
        float[] w = [0.5f, -1.0f, 2f, -0.25f];
        var (values, quant) = QuantScheme.QuantizeWeights(w, [2, 2], perChannel: false);
        Assert.True(quant.IsPerTensor);
        Assert.Equal(2f / 127, quant.Scale);
        Assert.Equal([32L, -64, 127, -16], values); // 31.75 → 32, −63.5 → −64, −15.875 → −16
    }

    [Fact]
    public void AllZeroWeightsGetScaleOne()
    {
        var (values, quant) = QuantScheme.QuantizeWeights(new float[6], [2, 3], perChannel: true);
        Assert.Equal([1f, 1f], quant.Scales);
        Assert.All(values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void WeightsStayWithinPlusMinus127()
    {
        var random = new Random(3);
        var w = Enumerable.Range(0, 400).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        var (values, quant) = QuantScheme.QuantizeWeights(w, [4, 100], perChannel: true);
        Assert.All(values, v => Assert.InRange(v, -127, 127));
        for (int c = 0; c < 4; c++)
        {
            float maxAbs = w.Skip(c * 100).Take(100).Max(MathF.Abs);
            Assert.Equal(maxAbs / 127f, quant.Scales[c], 6);
            for (int i = 0; i < 100; i++)
                Assert.True(Math.Abs(values[c * 100 + i] * (double)quant.Scales[c] - w[c * 100 + i]) <= quant.Scales[c] * 0.5000001);
        }
    }

    [Fact]
    public void NonFiniteWeightsAreRejected() =>
        Assert.Throws<ArgumentException>(() => QuantScheme.QuantizeWeights([1f, float.NaN], [1, 2], perChannel: true));

    [Fact]
    public void BiasUsesInputTimesWeightScale()
    {
        var weights = new QuantParams([0.01f, 0.02f], [0, 0], axis: 0);
        var (values, quant) = QuantScheme.QuantizeBias([0.1f, -0.2f], 0.05f, weights);
        // 0.1 / (0.05·0.01) = 200, −0.2 / (0.05·0.02) = −200 (up to float32 representation of the inputs).
        Assert.Equal([200L, -200], values);
        Assert.Equal(0, quant.Axis);
        Assert.Equal((float)(0.05f * (double)0.01f), quant.Scales[0]);
        Assert.Equal((float)(0.05f * (double)0.02f), quant.Scales[1]);
    }

    [Fact]
    public void BiasSaturatesToInt32()
    {
        var (values, _) = QuantScheme.QuantizeBias([1e9f, -1e9f], 1e-4f, QuantParams.PerTensor(1e-4f, 0));
        Assert.Equal([(long)int.MaxValue, int.MinValue], values);
    }

    [Fact]
    public void RepresentableRangeSpansTheCodes()
    {
        var r = QuantScheme.RepresentableRange(QuantParams.PerTensor(0.5f, -28));
        Assert.Equal(-50f, r.Min);
        Assert.Equal(77.5f, r.Max);
    }
}
