using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The vector output stages against the scalar <see cref="Qs8Requantization.Apply"/> (FixedPoint): every shift
/// −31..31 with extreme and ordinary multipliers, accumulators at the int32 limits, at ±2^k and ±2^k±1 (the rounding
/// ties of every shift) and random, several zero points and clamp bounds (including Min &gt; Max). Each path this
/// machine supports runs; each lane of each vector must equal the scalar result.
/// </summary>
public sealed class Qs8RequantizeVectorTests
{
    public static TheoryData<KernelPath> Paths => new(KernelPath.Vector128, KernelPath.Avx2, KernelPath.AdvSimd);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_lane_equals_the_scalar_output_stage(KernelPath path)
    {
        if (!CpuFeatures.Current.Supports(path)) Assert.Skip($"{path} is not supported on this machine ({CpuFeatures.Current}); it runs in the ARM64 QEMU jobs");
        var accumulators = Accumulators();
        // The last two stages have no left shifts at all, the case the vector stages skip that step for.
        foreach (var (zeroPoint, min, max, maxShift) in new[] { (0, -128, 127, 31), (-128, -128, 127, 31), (127, -128, 127, 31), (5, -20, 90, 31), (-3, 40, 10, 31), (200, -128, 127, 31), (0, -128, 127, 0), (-9, -100, 120, 0) })
        {
            var output = Stage(zeroPoint, min, max, maxShift);
            Assert.Equal(maxShift > 0, new Qs8RequantizeLanes(output).HasLeftShift);
            var lanes = new Qs8RequantizeLanes(output);
            int checkedLanes = 0;
            var actual = new int[8];
            var input = new int[8];
            for (int channel = 0; channel < output.Multipliers.Length; channel += 8)
            for (int a = 0; a < accumulators.Length; a++)
            {
                // Different accumulators in the lanes, so a lane mix-up cannot pass.
                for (int i = 0; i < 8; i++) input[i] = accumulators[(a + 37 * i) % accumulators.Length];
                Run(path, input, lanes, channel, actual);
                for (int i = 0; i < 8 && channel + i < output.Multipliers.Length; i++)
                {
                    int expected = output.Apply(input[i], channel + i);
                    if (actual[i] != expected)
                        Assert.Fail($"{path}: acc {input[i]}, M {output.Multipliers[channel + i]}, shift {output.Shifts[channel + i]}, zp {zeroPoint}, [{min},{max}]: expected {expected}, got {actual[i]}");
                    checkedLanes++;
                }
            }
            Assert.True(checkedLanes > 100_000, $"only {checkedLanes} lanes compared");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Narrowing_keeps_the_order_of_the_channels(KernelPath path)
    {
        if (!CpuFeatures.Current.Supports(path)) Assert.Skip($"{path} is not supported on this machine ({CpuFeatures.Current}); it runs in the ARM64 QEMU jobs");
        var values = Enumerable.Range(0, 16).Select(i => i * 17 - 128).ToArray();
        var bytes = new sbyte[16];
        switch (path)
        {
            case KernelPath.Vector128:
                Qs8RequantizeVector128.Narrow(V128(values, 0), V128(values, 4), V128(values, 8), V128(values, 12)).CopyTo(bytes);
                break;
            case KernelPath.Avx2:
                Qs8RequantizeAvx2.Narrow(Vector256.Create(values.AsSpan(0, 8)), Vector256.Create(values.AsSpan(8, 8))).CopyTo(bytes);
                break;
            case KernelPath.AdvSimd:
                Qs8RequantizeAdvSimd.Narrow(V128(values, 0), V128(values, 4), V128(values, 8), V128(values, 12)).CopyTo(bytes);
                break;
        }
        Assert.Equal(values.Select(v => (sbyte)v), bytes);
    }

    private static Vector128<int> V128(int[] values, int start) => Vector128.Create(values.AsSpan(start, 4));

    private static void Run(KernelPath path, int[] input, Qs8RequantizeLanes lanes, int channel, int[] result)
    {
        switch (path)
        {
            case KernelPath.Vector128:
                Qs8RequantizeVector128.Apply(Vector128.Create(input.AsSpan(0, 4)), lanes, channel).CopyTo(result, 0);
                Qs8RequantizeVector128.Apply(Vector128.Create(input.AsSpan(4, 4)), lanes, channel + 4).CopyTo(result, 4);
                break;
            case KernelPath.Avx2 when Avx2.IsSupported:
                Qs8RequantizeAvx2.Apply(Vector256.Create(input.AsSpan()), lanes, channel).CopyTo(result);
                break;
            case KernelPath.AdvSimd when AdvSimd.IsSupported:
                Qs8RequantizeAdvSimd.Apply(Vector128.Create(input.AsSpan(0, 4)), lanes, channel).CopyTo(result, 0);
                Qs8RequantizeAdvSimd.Apply(Vector128.Create(input.AsSpan(4, 4)), lanes, channel + 4).CopyTo(result, 4);
                break;
            default:
                throw new InvalidOperationException($"{path} cannot run here");
        }
    }

    /// <summary>Channels covering every shift up to <paramref name="maxShift"/> with extreme, boundary and random mantissas (and a few the quantizer
    /// never emits, e.g. negative, which the arithmetic still defines).</summary>
    private static Qs8Requantization Stage(int zeroPoint, int min, int max, int maxShift)
    {
        var random = new Random(1234);
        var multipliers = new List<int>();
        var shifts = new List<int>();
        for (int shift = -31; shift <= maxShift; shift++)
            foreach (int m in new[] { 0, 1, 1 << 30, (1 << 30) + 1, int.MaxValue, int.MinValue, -1, random.Next(1 << 30, int.MaxValue), random.Next(int.MinValue, int.MaxValue) })
            {
                multipliers.Add(m);
                shifts.Add(shift);
            }
        // Bounds outside the int8 range are refused by Qs8Requantization, so the test keeps them inside.
        return new Qs8Requantization(multipliers.ToArray(), shifts.ToArray(), zeroPoint, min, max);
    }

    private static int[] Accumulators()
    {
        var values = new HashSet<int> { int.MinValue, int.MaxValue, int.MinValue + 1, int.MaxValue - 1, 0, 1, -1 };
        for (int k = 0; k < 31; k++)
            foreach (long v in new[] { 1L << k, (1L << k) + 1, (1L << k) - 1, -(1L << k), -(1L << k) + 1, -(1L << k) - 1, 3L << k, -(3L << k) })
                if (v >= int.MinValue && v <= int.MaxValue) values.Add((int)v);
        var random = new Random(99);
        for (int i = 0; i < 300; i++) values.Add(random.Next(int.MinValue, int.MaxValue));
        for (int i = 0; i < 100; i++) values.Add(random.Next(-70000, 70000));
        return values.ToArray();
    }
}
