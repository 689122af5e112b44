using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The AVX2 output stage skips the −2³¹ · −2³¹ fix-up when no channel has multiplier −2³¹: channels with
/// every other extreme multiplier (2³¹ − 1, −2³¹ + 1, −1, 0, random of both signs) and shift, against the scalar
/// stage on extreme accumulators; and a stage where one channel has −2³¹ keeps the fix-up for it.</summary>
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
}
