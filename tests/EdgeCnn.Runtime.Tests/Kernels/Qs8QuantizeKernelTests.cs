using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The vector float → int8 quantizer against the scalar reference: every length from 0 to 100 and some
/// longer, guard zones, several scales and zero points, and values that stress rounding and saturation (exact
/// half-way quotients, ±∞, NaN, values far outside the int8 range, negative zero, subnormals).</summary>
public sealed class Qs8QuantizeKernelTests
{
    public static TheoryData<float, int> Params => new()
    {
        { 0.0235f, -128 }, { 1f / 255, 0 }, { 0.5f, 3 }, { 0.0078125f, 127 }, { 3.7e-5f, -7 }, { 12.5f, 100 },
    };

    [Theory]
    [MemberData(nameof(Params))]
    public void Vector_quantize_matches_the_reference_for_every_length(float scale, int zeroPoint)
    {
        var rng = new Random(zeroPoint * 31 + 5);
        foreach (int length in Enumerable.Range(0, 101).Concat([255, 1000, 4099]))
        {
            var x = Values(rng, length, scale);
            var expected = GuardedOutput(length);
            var actual = GuardedOutput(length);
            Qs8QuantizeReference.Run(x, scale, zeroPoint, Body(expected));
            Qs8QuantizeVector128.Run(x, scale, zeroPoint, Body(actual));
            SameBytes(expected, actual, $"quantize of {length} values, scale {scale}, zero point {zeroPoint}");
        }
    }

    [Fact]
    public void Half_way_quotients_round_to_even_and_specials_saturate()
    {
        // Scale 0.5: x = k/4 gives quotients k/2, every half-way case from -70 to 70 once.
        var x = Enumerable.Range(-140, 281).Select(k => k / 4f)
            .Concat([float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1e30f, -1e30f]).ToArray();
        var y = new sbyte[x.Length];
        Qs8QuantizeVector128.Run(x, 0.5f, 3, y);
        for (int i = 0; i < 281; i++)
        {
            double expected = Math.Clamp(Math.Round((i - 140) / 2.0, MidpointRounding.ToEven) + 3, -128, 127);
            Assert.Equal((sbyte)expected, y[i]);
        }
        Assert.Equal(new sbyte[] { 3, 127, -128, 3, 127, -128 }, y[281..]);
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Qs8QuantizeVector128.Run(new float[5], 1f, 0, new sbyte[4]));
        Assert.Contains("5", error.Message);
    }

    /// <summary>Mostly quotients around the int8 range, with exact half-way values and specials sprinkled in.</summary>
    private static float[] Values(Random rng, int count, float scale)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = rng.Next(12) switch
            {
                0 => (rng.Next(-300, 300) + 0.5f) * scale,
                1 => float.NaN,
                2 => rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                3 => (float)((rng.NextDouble() - 0.5) * 1e6) * scale,
                4 => rng.Next(2) == 0 ? -0f : float.Epsilon,
                _ => (float)((rng.NextDouble() - 0.5) * 400) * scale,
            };
        }
        return data;
    }
}
