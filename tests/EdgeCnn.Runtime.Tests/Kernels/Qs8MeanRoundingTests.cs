using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The average pools' vectorized rounded division (double lanes) against the 64-bit integer definition,
/// over ties, the int32 extremes of the raw sums, tiny and huge counts and every zero point class.</summary>
public sealed class Qs8MeanRoundingTests
{
    [Fact]
    public void Store_matches_the_integer_rounded_division()
    {
        var rng = new Random(61);
        int[] counts = [1, 2, 3, 4, 7, 9, 25, 49, 254, 255, 256, 1000, 65536, 8_388_607];
        int[] zeroPoints = [-128, -1, 0, 5, 127];
        foreach (int count in counts)
        foreach (int zp in zeroPoints)
        {
            int taps = rng.Next(2) == 0 ? count : Math.Max(1, count - rng.Next(Math.Min(count, 4)));
            long limit = 128L * taps;
            var sums = new int[33];
            for (int i = 0; i < sums.Length; i++)
            {
                long offset = (long)taps * zp;
                // Raw sums whose offset from taps·zp is a tie (±(k + ½)·count), the extremes, or random.
                long raw = (i % 3) switch
                {
                    0 when count % 2 == 0 => offset + (rng.Next(2) == 0 ? 1 : -1) * (count / 2 + (long)count * rng.Next(0, 3)),
                    1 => rng.Next(2) == 0 ? -limit : limit - taps,
                    _ => rng.NextInt64(-limit, limit - taps + 1),
                };
                sums[i] = (int)raw;
            }
            var actual = new sbyte[sums.Length];
            Qs8MeanRounding.Store(sums, taps, count, zp, ref actual[0]);
            for (int i = 0; i < sums.Length; i++)
            {
                long mean = FixedPoint.DivideRoundingHalfAwayFromZero(sums[i] - (long)taps * zp, count);
                var expected = (sbyte)Math.Clamp(zp + mean, -128, 127);
                Assert.True(expected == actual[i], $"sum {sums[i]} over {taps} taps, count {count}, zp {zp}: {actual[i]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void An_empty_count_gives_the_zero_point()
    {
        var actual = new sbyte[5];
        Qs8MeanRounding.Store(new int[5], 0, 0, -9, ref actual[0]);
        Assert.All(actual, v => Assert.Equal(-9, v));
    }
}
