using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The int8 requantization kernels (Concat's rescaling of an input) of every path against
/// <see cref="Qs8RequantizeReference"/>: every length to 100, output/input scale ratios from 10⁻⁸ to 10⁵ (negative and positive
/// shifts, saturation), extreme zero points, in place.</summary>
public sealed class Qs8RescaleKernelTests
{
    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Rescale_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(71);
        int[] zeroPoints = [-128, -2, 0, 64, 127];
        int positiveShifts = 0;
        foreach (int length in Enumerable.Range(0, 101).Concat([1000]))
        {
            float inputScale = (float)Math.Pow(10, -2 + 2 * rng.NextDouble());
            float outputScale = (float)Math.Pow(10, -2 + 2 * rng.NextDouble()) * (rng.Next(4) == 0 ? 1000 : rng.Next(3) == 0 ? 1e-6f : 1);
            var (multiplier, shift) = Qs8RequantizeReference.Prepare(inputScale, outputScale);
            int xZeroPoint = zeroPoints[rng.Next(zeroPoints.Length)], yZeroPoint = zeroPoints[rng.Next(zeroPoints.Length)];
            var x = Codes(rng, length);
            var expected = GuardedOutput(length);
            var actual = GuardedOutput(length);
            Qs8RequantizeReference.Run(x, xZeroPoint, multiplier, shift, yZeroPoint, Body(expected));
            var kernel = Qs8RescaleKernel.TryCreate(path, xZeroPoint, multiplier, shift, yZeroPoint);
            if (path == KernelPath.Reference)
            {
                Assert.Null(kernel);
                return;
            }
            Assert.NotNull(kernel);
            kernel.Run(x, Body(actual));
            if (shift > 0) positiveShifts++;
            SameBytes(expected, actual, $"{kernel.Kernel} rescale of {length} values, multiplier {multiplier} shift {shift} zp {xZeroPoint}->{yZeroPoint}");

            kernel.Run(x, x);
            Assert.Equal(Body(expected).ToArray(), x);
        }
        Assert.True(positiveShifts > 3, $"only {positiveShifts} cases with a positive shift");
    }
}
