using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The int8 max, average and global average pool kernels of every path against their reference kernels,
/// byte for byte, guard zones included.</summary>
public sealed class Qs8PoolKernelTests
{
    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void MaxPool_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var selected = Qs8MaxPool2DKernels.Select(path);
        var rng = new Random(11);
        foreach (var g in PoolWindows())
        {
            var x = Codes(rng, g.InputLength);
            var expected = GuardedOutput(g.OutputLength);
            var actual = GuardedOutput(g.OutputLength);
            MaxPool2DReference.Run(g, x, Body(expected));
            Qs8MaxPool2DKernels.Run(selected, g, x, Body(actual));
            SameBytes(expected, actual, $"{selected} max pool {g}");
        }
    }

    [Fact]
    public void MaxPool_on_all_minus_128_and_all_127_inputs()
    {
        foreach (var path in CpuFeatures.Current.SupportedPaths)
        foreach (sbyte value in new sbyte[] { -128, 127 })
        {
            var g = Window(1, 5, 5, 40, 40, 3, 3, 1, 1, 1, 1, 1, 1);
            var x = Enumerable.Repeat(value, g.InputLength).ToArray();
            var actual = GuardedOutput(g.OutputLength);
            Qs8MaxPool2DKernels.Run(Qs8MaxPool2DKernels.Select(path), g, x, Body(actual));
            Assert.All(Body(actual).ToArray(), v => Assert.Equal(value, v));
        }
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void AveragePool_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(13);
        int[] zeroPoints = [-128, -5, 0, 77, 127];
        foreach (var g in PoolWindows())
        foreach (bool includePad in new[] { false, true })
        {
            int zp = zeroPoints[rng.Next(zeroPoints.Length)];
            var selected = Qs8AveragePool2DKernels.Select(path, g);
            var x = Codes(rng, g.InputLength);
            var expected = GuardedOutput(g.OutputLength);
            var actual = GuardedOutput(g.OutputLength);
            Qs8AveragePool2DReference.Run(g, includePad, zp, x, Body(expected));
            Qs8AveragePool2DKernels.Run(selected, g, includePad, zp, x, Body(actual));
            SameBytes(expected, actual, $"{selected} average pool {g} includePad={includePad} zp={zp}");
        }
    }

    [Fact]
    public void AveragePool_of_extremes_over_the_largest_vector_window()
    {
        // 255 taps of −128 or 127: the int16 window sums reach ±32640 without wrapping; a 16x16 window goes to the reference.
        foreach (var path in CpuFeatures.Current.SupportedPaths)
        foreach (sbyte value in new sbyte[] { -128, 127 })
        {
            var g = new Spatial2DGeometry(1, 17, 15, 40, 1, 1, 40, 17, 15, 1, 1, 1, 1, 0, 0, 0, 0);
            var x = Enumerable.Repeat(value, g.InputLength).ToArray();
            var actual = GuardedOutput(g.OutputLength);
            Qs8AveragePool2DKernels.Run(Qs8AveragePool2DKernels.Select(path, g), g, false, 3, x, Body(actual));
            Assert.All(Body(actual).ToArray(), v => Assert.Equal(value, v));
            var large = g with { InHeight = 16, InWidth = 16, KernelHeight = 16, KernelWidth = 16 };
            Assert.Equal(KernelPath.Reference, Qs8AveragePool2DKernels.Select(path, large));
        }
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void GlobalAveragePool_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var selected = Qs8GlobalAveragePoolKernels.Select(path);
        var rng = new Random(12);
        int[] channels = [1, 5, 15, 16, 17, 31, 32, 33, 47, 64, 70];
        int[] pixelCounts = [1, 2, 7, 49, 127, 128, 129, 300];
        int[] zeroPoints = [-128, -5, 0, 77, 127];
        foreach (int c in channels)
        foreach (int pixels in pixelCounts)
        {
            int zp = zeroPoints[rng.Next(zeroPoints.Length)];
            int batch = 1 + rng.Next(2);
            var x = Codes(rng, batch * pixels * c);
            var expected = GuardedOutput(batch * c);
            var actual = GuardedOutput(batch * c);
            Qs8GlobalAveragePoolReference.Run(batch, pixels, c, zp, x, Body(expected));
            Qs8GlobalAveragePoolKernels.Run(selected, batch, pixels, c, zp, x, Body(actual));
            SameBytes(expected, actual, $"{selected} global average pool n={batch} pixels={pixels} c={c} zp={zp}");
        }
    }

    [Fact]
    public void GlobalAveragePool_of_extremes_sums_past_the_int16_range()
    {
        // 300 pixels of 127 (or −128) per channel: the int16 partial sums must be flushed before they overflow.
        foreach (var path in CpuFeatures.Current.SupportedPaths)
        foreach (sbyte value in new sbyte[] { -128, 127 })
        foreach (int zp in new[] { -128, 127 })
        {
            const int pixels = 300, c = 48;
            var x = Enumerable.Repeat(value, pixels * c).ToArray();
            var actual = GuardedOutput(c);
            Qs8GlobalAveragePoolKernels.Run(Qs8GlobalAveragePoolKernels.Select(path), 1, pixels, c, zp, x, Body(actual));
            Assert.All(Body(actual).ToArray(), v => Assert.Equal(value, v));
        }
    }
}
