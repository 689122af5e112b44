using EdgeCnn.Compiler.Quantization;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>A channel whose weights are tiny next to its bias: the weight scale is raised until the int32 bias fits in
/// 2^30, and channels that fit already keep max|w| / 127.</summary>
public sealed class BiasScaleFloorTests
{
    [Fact]
    public void TinyWeightsNextToALargeBiasGetAScaleThatKeepsTheBiasInRange()
    {
        float[] weights = [1e-9f, -5e-10f, 0.5f, -0.25f]; // [2 channels, 2 inputs]
        float[] bias = [3f, 0.1f];
        const float inputScale = 0.02f;

        var floors = QuantScheme.BiasScaleFloors(bias, inputScale);
        var (values, quant) = QuantScheme.QuantizeWeights(weights, [2, 2], perChannel: true, floors);
        var (biasValues, _) = QuantScheme.QuantizeBias(bias, inputScale, quant);

        // Without the floor channel 0 would need 3 / (0.02 · 1e-9 / 127) ≈ 1.9e13, far beyond int32.
        Assert.Equal(3.0 / (0.02 * (1 << 30)), quant.Scales[0], 1e-12);
        Assert.InRange(Math.Abs(biasValues[0]), (1L << 30) - 100, (1L << 30) + 100); // the stored float32 scale rounds
        Assert.Equal([0L, 0L], values[..2]);
        Assert.Equal(0.5f / 127, quant.Scales[1]);
        Assert.Equal([127L, -64L], values[2..]);
    }
}
