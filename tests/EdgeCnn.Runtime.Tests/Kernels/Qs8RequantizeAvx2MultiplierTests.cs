using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The AVX2 output stage skips the −2³¹ · −2³¹ fix-up when no channel has multiplier −2³¹: channels with
/// every other extreme multiplier (2³¹ − 1, −2³¹ + 1, −1, 0, random of both signs) and shift, against the scalar
/// stage on extreme accumulators; and a stage where one channel has −2³¹ keeps the fix-up for it. The 16-lane stage
/// that adds the zero point and clamps on int16 after the pack, against the scalar stage for int8 zero points and
/// bounds (and a zero point outside int8, which takes the int32 clamp).</summary>
public sealed class Qs8RequantizeAvx2MultiplierTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Avx2_stage_matches_the_scalar_stage_with_and_without_the_minimum_multiplier(bool withMinimum)
    {
        if (!Avx2.IsSupported) Assert.Skip("Qs8RequantizeAvx2 needs AVX2, which this machine lacks");
        var random = new Random(withMinimum ? 77 : 78);
        var multipliers = new List<int>();
        var shifts = new List<int>();
        for (int shift = -31; shift <= 8; shift++)
            foreach (int m in new[] { int.MaxValue, int.MinValue + 1, -1, 0, 1 << 30, random.Next(int.MinValue + 1, int.MaxValue), random.Next(1 << 30, int.MaxValue), withMinimum ? int.MinValue : 5 })
            {
                multipliers.Add(m);
                shifts.Add(shift);
            }
        var stage = new Qs8Requantization(multipliers.ToArray(), shifts.ToArray(), -3, -128, 127);
        var lanes = new Qs8RequantizeLanes(stage);
        Assert.Equal(withMinimum, lanes.HasMinMultiplier);
        int[] accumulators = [int.MinValue, int.MinValue + 1, int.MaxValue, -1, 0, 1, 1 << 20, -(1 << 20), random.Next(), -random.Next()];
        var lane = new int[8];
        for (int channel = 0; channel + 8 <= multipliers.Count; channel += 8)
        foreach (int a in accumulators)
        {
            for (int i = 0; i < 8; i++) lane[i] = i % 2 == 0 ? a : accumulators[(channel / 8 + i) % accumulators.Length];
            var result = Qs8RequantizeAvx2.Apply(Vector256.Create(lane), lanes, channel);
            for (int i = 0; i < 8; i++)
                Assert.True(stage.Apply(lane[i], channel + i) == result.GetElement(i),
                    $"channel {channel + i}: multiplier {multipliers[channel + i]}, shift {shifts[channel + i]}, accumulator {lane[i]}");
        }
    }

    [Theory]
    [InlineData(-128, -128, 127)]
    [InlineData(-128, -128, 0)]
    [InlineData(-3, -100, 90)]
    [InlineData(0, 0, 127)]
    [InlineData(127, -128, 127)]
    [InlineData(127, 127, 127)]
    [InlineData(300, -128, 127)]
    [InlineData(-40000, -20, 20)]
    public void Sixteen_lane_stage_matches_the_scalar_stage(int zeroPoint, int min, int max)
    {
        if (!Avx2.IsSupported) Assert.Skip("Qs8RequantizeAvx2 needs AVX2, which this machine lacks");
        var random = new Random(zeroPoint + 3 * min + 7 * max);
        var multipliers = new List<int>();
        var shifts = new List<int>();
        for (int shift = -31; shift <= 8; shift++)
            foreach (int m in new[] { int.MaxValue, 1 << 30, -1, 0, random.Next(1 << 30, int.MaxValue), random.Next(int.MinValue, int.MaxValue) })
            {
                multipliers.Add(m);
                shifts.Add(shift);
            }
        while (multipliers.Count % 16 != 0)
        {
            multipliers.Add(random.Next(1 << 30, int.MaxValue));
            shifts.Add(random.Next(-20, 1));
        }
        var stage = new Qs8Requantization(multipliers.ToArray(), shifts.ToArray(), zeroPoint, min, max);
        var lanes = new Qs8RequantizeLanes(stage);
        Assert.Equal(zeroPoint is >= -128 and <= 127, lanes.ClampsInInt16);
        int[] accumulators = [int.MinValue, int.MaxValue, -1, 0, 1, 40_000, -40_000, 1 << 24, -(1 << 24), random.Next(), -random.Next()];
        var values = new int[16];
        for (int channel = 0; channel < multipliers.Count; channel += 16)
        for (int round = 0; round < 40; round++)
        {
            for (int i = 0; i < 16; i++) values[i] = accumulators[random.Next(accumulators.Length)];
            var bytes = Qs8RequantizeAvx2.Requantize16(Vector256.Create(values.AsSpan(0, 8)), Vector256.Create(values.AsSpan(8, 8)), lanes, channel);
            for (int i = 0; i < 16; i++)
                Assert.True(stage.Apply(values[i], channel + i) == bytes.GetElement(i),
                    $"channel {channel + i}: multiplier {multipliers[channel + i]}, shift {shifts[channel + i]}, accumulator {values[i]}, zero point {zeroPoint}, bounds [{min}, {max}]");
        }
    }
}
