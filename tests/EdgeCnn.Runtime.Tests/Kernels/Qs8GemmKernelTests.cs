using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.X86;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The int8 GEMM kernels (Qs8GemmVector128, Qs8GemmAvx2, Qs8GemmAdvSimd, Qs8GemmAdvSimdDp, through
/// <see cref="Qs8Gemm.Run"/>) against the fully connected formula written here: y = Apply(B + Σ (x − zp)·w) with a
/// 64-bit sum. Row counts around the 4-row tile, depths around the 1/2/4-k steps and 16-byte loads, channel counts
/// around the 8/16-channel blocks, groups, input and output strides wider than the rows, zero points −128..127,
/// extreme codes, weights with and without −128 (the AdvSimd kernel pairs products in int16 only without it), and
/// output stages with right and left shifts. Outputs sit between sentinel guard zones, and the bytes between
/// strided rows must stay sentinels too.
/// </summary>
public sealed class Qs8GemmKernelTests
{
    private const int Guard = 29;
    private const sbyte Sentinel = 0x5A;

    public static TheoryData<KernelPath> VectorPaths => new(KernelPath.Vector128, KernelPath.Avx2, KernelPath.AdvSimd, KernelPath.AdvSimdDp);

    [Theory]
    [MemberData(nameof(VectorPaths))]
    public void Gemm_matches_the_formula_for_odd_sizes_strides_and_groups(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(5);
        int cases = 0;
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 7, 13 })
        foreach (int depth in new[] { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 64, 70 })
        foreach (int channels in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 24, 33, 70 })
        {
            int groups = rng.Next(4) == 0 ? 1 + rng.Next(3) : 1;
            Check(path, rng, rows, depth, channels, groups, inputPad: rng.Next(3) == 0 ? 3 : 0, outputPad: rng.Next(3) == 0 ? 5 : 0,
                avoidMinus128: rng.Next(2) == 0, $"rows {rows}, depth {depth}, channels {channels}, groups {groups}");
            cases++;
        }
        Assert.True(cases > 1000, $"{cases} cases");
    }

    [Theory]
    [MemberData(nameof(VectorPaths))]
    public void Gemm_matches_the_formula_without_left_shifts(KernelPath path)
    {
        // Real multipliers below 1 (every quantized MobileNet layer): the Avx2 kernel's packed output stage runs.
        RequireSupported(path);
        var rng = new Random(6);
        foreach (int rows in new[] { 1, 3, 4, 6, 9 })
        foreach (int depth in new[] { 1, 2, 15, 16, 24, 33, 96 })
        foreach (int channels in new[] { 1, 8, 15, 16, 17, 24, 40, 96 })
        {
            int groups = rng.Next(4) == 0 ? 2 : 1;
            Check(path, rng, rows, depth, channels, groups, inputPad: rng.Next(3) == 0 ? 3 : 0, outputPad: rng.Next(3) == 0 ? 5 : 0,
                avoidMinus128: rng.Next(2) == 0, $"rows {rows}, depth {depth}, channels {channels}, groups {groups}", leftShifts: false);
        }
    }

    [Fact]
    public void The_512_bit_kernel_is_chosen_only_with_the_packed_output_stage()
    {
        if (!Qs8GemmAvx512.IsSupported) Assert.Skip("this CPU has no AVX-512 BW; the 512-bit GEMM cannot run here");
        var plain = Qs8Requantization.FromReal([0.01, 0.02, 0.003], 4, -128, 127);
        var leftShift = Qs8Requantization.FromReal([0.01, 2.5, 0.003], 4, -128, 127);
        var w = new sbyte[3 * 40];
        Assert.True(Qs8GemmWeights.Pack(KernelPath.Avx2, w, [], 1, 3, 40, 0, plain, avx512: true).UsesAvx512);
        Assert.False(Qs8GemmWeights.Pack(KernelPath.Avx2, w, [], 1, 3, 40, 0, plain, avx512: false).UsesAvx512);
        Assert.False(Qs8GemmWeights.Pack(KernelPath.Avx2, w, [], 1, 3, 40, 0, leftShift, avx512: true).UsesAvx512);
        // By default only small depths, where it measured faster (Qs8GemmAvx512.DefaultMaxDepth).
        Assert.False(Qs8GemmWeights.Pack(KernelPath.Avx2, w, [], 1, 3, 40, 0, plain).UsesAvx512);
    }

    [Fact]
    public void Avx2_weights_carry_the_packed_output_stage_only_where_it_applies()
    {
        var plain = Qs8Requantization.FromReal([0.01, 0.02, 0.003], 4, -128, 127);
        var leftShift = Qs8Requantization.FromReal([0.01, 2.5, 0.003], 4, -128, 127);
        var w = new sbyte[3 * 5];
        Assert.Equal(Qs8GemmOutputStageAvx2.BlockInts, Qs8GemmWeights.Pack(KernelPath.Avx2, w, [], 1, 3, 5, 0, plain).Avx2OutputStage.Length);
        Assert.Empty(Qs8GemmWeights.Pack(KernelPath.Avx2, w, [], 1, 3, 5, 0, leftShift).Avx2OutputStage);
        Assert.Empty(Qs8GemmWeights.Pack(KernelPath.Vector128, w, [], 1, 3, 5, 0, plain).Avx2OutputStage);
    }

    [Theory]
    [MemberData(nameof(VectorPaths))]
    public void Gemm_on_the_extreme_codes(KernelPath path)
    {
        // Inputs −128 against zero point 127 and weights −128 (and 127): the largest products the int8 types allow.
        RequireSupported(path);
        foreach (sbyte weight in new sbyte[] { -128, 127, -127 })
        {
            int rows = 5, depth = 37, channels = 19;
            var x = Enumerable.Repeat((sbyte)-128, rows * depth).ToArray();
            var w = Enumerable.Repeat(weight, channels * depth).ToArray();
            var bias = Enumerable.Range(0, channels).Select(c => c * 1000 - 9000).ToArray();
            var output = Qs8Requantization.FromReal(Enumerable.Range(0, channels).Select(c => 1.0 / (1 << (8 + c % 9))).ToArray(), -3, -128, 127);
            Compare(path, rows, depth, channels, 1, x, depth, 127, w, bias, output, channels, $"weights {weight}");
        }
    }

    [Fact]
    public void Packing_refuses_mismatched_sizes_and_the_reference_path()
    {
        var output = Qs8Requantization.FromReal([0.01, 0.01], 0, -128, 127);
        Assert.Throws<ArgumentOutOfRangeException>(() => Qs8GemmWeights.Pack(KernelPath.Reference, new sbyte[6], [], 1, 2, 3, 0, output));
        Assert.Throws<ArgumentException>(() => Qs8GemmWeights.Pack(KernelPath.Vector128, new sbyte[5], [], 1, 2, 3, 0, output));
        Assert.Throws<ArgumentException>(() => Qs8GemmWeights.Pack(KernelPath.Vector128, new sbyte[6], [1], 1, 2, 3, 0, output));
        var packed = Qs8GemmWeights.Pack(KernelPath.Vector128, new sbyte[6], [], 1, 2, 3, 0, output);
        // An input too short for the rows is refused before any element is read.
        Assert.Throws<ArgumentException>(() => Qs8Gemm.Run(packed, 0, 2, new sbyte[5], 3, new sbyte[4], 2, []));
        Assert.Throws<ArgumentException>(() => Qs8Gemm.Run(packed, 0, 2, new sbyte[6], 3, new sbyte[3], 2, []));
    }

    internal static void RequireSupported(KernelPath path)
    {
        if (!CpuFeatures.Current.Supports(path))
            Assert.Skip($"kernel path {path} is not supported on this machine ({CpuFeatures.Current}); it runs under QEMU (scripts/test-arm64.sh) or on ARM hardware");
    }

    private static void Check(KernelPath path, Random rng, int rows, int depth, int channels, int groups, int inputPad, int outputPad,
        bool avoidMinus128, string what, bool leftShifts = true)
    {
        int outChannels = channels * groups;
        int inputStride = depth * groups + inputPad;
        var x = Codes(rng, (rows - 1) * inputStride + depth * groups, false);
        var w = Codes(rng, outChannels * depth, avoidMinus128);
        int[] bias = rng.Next(4) == 0 ? [] : Enumerable.Range(0, outChannels).Select(_ => rng.Next(-40000, 40000)).ToArray();
        int zp = rng.Next(5) switch { 0 => -128, 1 => 127, 2 => 0, _ => rng.Next(-128, 128) };
        // Real multipliers from about 1/(depth·2^13) (most outputs land mid-range) up to above 1 (left shifts).
        var reals = Enumerable.Range(0, outChannels).Select(_ => rng.Next(8) == 0 && leftShifts ? 1.5 + rng.NextDouble() * 3 : Math.Pow(2, -6 - rng.NextDouble() * 10) / Math.Sqrt(depth)).ToArray();
        int lo = rng.Next(3) == 0 ? rng.Next(-128, 0) : -128, hi = rng.Next(3) == 0 ? rng.Next(0, 128) : 127;
        var output = Qs8Requantization.FromReal(reals, rng.Next(-128, 128), lo, hi);
        Compare(path, rows, depth, channels, groups, x, inputStride, zp, w, bias, output, outChannels + outputPad, what);
    }

    /// <summary>Runs group by group, with the input rows of group g at column g·depth (as a grouped convolution's
    /// gathered rows would be laid out) and its outputs at channel g·channels.</summary>
    private static void Compare(KernelPath path, int rows, int depth, int channels, int groups, sbyte[] x, int inputStride, int zp,
        sbyte[] w, int[] bias, Qs8Requantization output, int outputStride, string what)
    {
        int length = (rows - 1) * outputStride + channels * groups;
        var expected = new sbyte[length + 2 * Guard];
        var actual = new sbyte[length + 2 * Guard];
        Array.Fill(expected, Sentinel);
        Array.Fill(actual, Sentinel);
        for (int g = 0; g < groups; g++)
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < channels; c++)
        {
            int oc = g * channels + c;
            long acc = bias.Length == 0 ? 0 : bias[oc];
            for (int k = 0; k < depth; k++) acc += (long)(x[r * inputStride + g * depth + k] - zp) * w[oc * depth + k];
            expected[Guard + r * outputStride + oc] = output.Apply(checked((int)acc), oc);
        }

        // The Avx2 path runs the 256-bit kernel and, where the CPU has AVX-512 BW, the 512-bit one on the same weights.
        bool?[] variants = path == KernelPath.Avx2 && Qs8GemmAvx512.IsSupported ? [false, true] : path == KernelPath.Avx2 ? [false] : [null];
        foreach (var avx512 in variants)
        {
            Array.Fill(actual, Sentinel);
            var packed = Qs8GemmWeights.Pack(path, w, bias, groups, channels, depth, zp, output, avx512);
            var scratch = new byte[Qs8Gemm.ScratchBytes(packed)];
            Array.Fill(scratch, (byte)0xC3);
            for (int g = 0; g < groups; g++)
                Qs8Gemm.Run(packed, g, rows, x.AsSpan(g * depth), inputStride, actual.AsSpan(Guard + g * channels, length - g * channels), outputStride, scratch);

            string kernel = avx512 == true && packed.UsesAvx512 ? " (512-bit kernel)" : "";
            for (int i = 0; i < expected.Length; i++)
                if (expected[i] != actual[i])
                    Assert.Fail($"{path}{kernel}, {what}: byte {i - Guard} of the output{(i < Guard || i >= Guard + length ? " (guard zone)" : "")} is {actual[i]}, expected {expected[i]}");
        }
    }

    private static sbyte[] Codes(Random rng, int count, bool avoidMinus128)
    {
        var data = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            int pick = rng.Next(10);
            data[i] = (sbyte)(pick == 0 ? (avoidMinus128 ? -127 : -128) : pick == 1 ? 127 : rng.Next(avoidMinus128 ? -127 : -128, 128));
        }
        return data;
    }
}
