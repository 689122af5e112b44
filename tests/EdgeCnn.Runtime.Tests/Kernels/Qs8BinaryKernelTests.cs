using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Arm;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.X86;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Operators;
using EdgeCnn.Runtime.Quantization;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The int8 Add/Sub/Mul kernels of every path against <see cref="Qs8BinaryReference"/> with the same prepared
/// operation, byte for byte: every length from 0 to 100, broadcasts of a row, a channel vector and a scalar,
/// scales from 1/1000 to 1 (so the Add input shifts and the output shift vary), zero points at the extremes,
/// fused bounds; and in place over either input.
/// </summary>
public sealed class Qs8BinaryKernelTests
{
    private static readonly int[][][] BroadcastShapes =
    [
        [[2, 3, 17], [17]],
        [[1, 1, 1, 40], [2, 5, 3, 40]],
        [[2, 5, 3, 40], [2, 5, 3, 1]],
        [[3, 33], [1]],
        [[1], [70]],
        [[4, 1, 19], [1, 6, 19]],
        [[2, 7, 5, 16], [2, 7, 5, 16]],
    ];

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Add_sub_and_mul_match_the_reference_for_every_length(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(41);
        foreach (int length in Enumerable.Range(0, 101).Concat([255, 1000]))
        foreach (int kind in new[] { 0, 1, 2 })
            Check(path, kind, [length], [length], rng);
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Broadcasts_match_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(42);
        foreach (var pair in BroadcastShapes)
        foreach (int kind in new[] { 0, 1, 2 })
        for (int trial = 0; trial < 4; trial++)
            Check(path, kind, pair[0], pair[1], rng);
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void In_place_over_either_input_gives_the_reference_bytes(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(43);
        foreach (int kind in new[] { 0, 1, 2 })
        foreach (bool overA in new[] { true, false })
        foreach (int length in new[] { 15, 16, 17, 47, 100 })
        {
            var (add, mul) = Operations(kind, rng);
            var a = Codes(rng, length);
            var b = Codes(rng, length);
            var (shape, aStrides, bStrides) = ShapeMath.BroadcastWalk([length], [length], [length]);
            var expected = new sbyte[length];
            RunReference(kind, add, mul, a, aStrides, b, bStrides, shape, expected);
            var kernel = Create(path, kind, add, mul);
            if (kernel is null) continue;
            var target = overA ? a : b;
            kernel.Run(a, aStrides, b, bStrides, shape, target);
            Assert.Equal(expected, target);
        }
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Add_input_rescaling_matches_MultiplyByQuantizedMultiplier_on_every_offset(KernelPath path)
    {
        // One step of the rescaled inputs rarely changes an output byte (the 2^20 pre-shift is there for that),
        // so the rescaling is checked on its own: every offset −256..255 (a multiple of the lane counts) times 2^20, shifts 0..−31.
        RequireSupported(path);
        var rng = new Random(44);
        var offsets = Enumerable.Range(-256, 512).Select(d => d << Qs8AddOperation.InputLeftShift).ToArray();
        for (int trial = 0; trial < 200; trial++)
        {
            double real = trial < 32 ? Math.ScaleB(0.5 + 0.5 * rng.NextDouble(), -trial) : Math.Pow(2, -31 * rng.NextDouble()) * 0.5;
            var (m, shift) = FixedPoint.QuantizeMultiplier(real);
            Assert.InRange(shift, -31, 0);
            var actual = Rescale(path, offsets, m, -shift);
            if (actual is null) return;
            for (int i = 0; i < offsets.Length; i++)
                Assert.True(FixedPoint.MultiplyByQuantizedMultiplier(offsets[i], m, shift) == actual[i],
                    $"{path}: offset {offsets[i]} with multiplier {m}, shift {shift} gives {actual[i]}, expected {FixedPoint.MultiplyByQuantizedMultiplier(offsets[i], m, shift)}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Every_pair_of_codes_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(45);
        var a = new sbyte[65536];
        var b = new sbyte[65536];
        for (int i = 0; i < 65536; i++) (a[i], b[i]) = ((sbyte)(i >> 8), (sbyte)i);
        int[] shape = [65536], strides = [1];
        foreach (int kind in new[] { 0, 1, 2, 0, 2 })
        {
            var (add, mul) = Operations(kind, rng);
            var expected = new sbyte[65536];
            var actual = new sbyte[65536];
            RunReference(kind, add, mul, a, strides, b, strides, shape, expected);
            var kernel = Create(path, kind, add, mul);
            if (kernel is null) return;
            kernel.Run(a, strides, b, strides, shape, actual);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>The path's Add input rescaling over <paramref name="x"/> (a multiple of 8 long); null on the Reference path.</summary>
    private static int[]? Rescale(KernelPath path, int[] x, int multiplier, int right)
    {
        var y = new int[x.Length];
        switch (Qs8BinaryKernel.Select(path))
        {
            case KernelPath.Vector128:
                for (int i = 0; i < x.Length; i += 4) Qs8BinaryVector128.Rescale(Vector128.Create<int>(x.AsSpan(i, 4)), multiplier, right).CopyTo(y.AsSpan(i));
                break;
            case KernelPath.Avx2:
                for (int i = 0; i < x.Length; i += 8) Qs8BinaryAvx2.Rescale(Vector256.Create<int>(x.AsSpan(i, 8)), multiplier, right).CopyTo(y.AsSpan(i));
                break;
            case KernelPath.AdvSimd:
                for (int i = 0; i < x.Length; i += 4) Qs8BinaryAdvSimd.Rescale(Vector128.Create<int>(x.AsSpan(i, 4)), multiplier, right).CopyTo(y.AsSpan(i));
                break;
            default:
                return null;
        }
        return y;
    }

    private static void Check(KernelPath path, int kind, int[] aShape, int[] bShape, Random rng)
    {
        var (add, mul) = Operations(kind, rng);
        var yShape = ShapeMath.BroadcastShape(aShape, bShape)!;
        var (shape, aStrides, bStrides) = ShapeMath.BroadcastWalk(aShape, bShape, yShape);
        int count = yShape.Aggregate(1, (p, d) => p * d);
        var a = Codes(rng, aShape.Aggregate(1, (p, d) => p * d));
        var b = Codes(rng, bShape.Aggregate(1, (p, d) => p * d));
        var expected = GuardedOutput(count);
        var actual = GuardedOutput(count);
        RunReference(kind, add, mul, a, aStrides, b, bStrides, shape, Body(expected));
        var kernel = Create(path, kind, add, mul);
        if (path == KernelPath.Reference)
        {
            Assert.Null(kernel);
            return;
        }
        Assert.NotNull(kernel);
        Assert.Equal(Qs8BinaryKernel.Select(path), kernel.Kernel);
        kernel.Run(a, aStrides, b, bStrides, shape, Body(actual));
        SameBytes(expected, actual, $"{kernel.Kernel} {(kind == 0 ? "Add" : kind == 1 ? "Sub" : "Mul")} [{string.Join(',', aShape)}] with [{string.Join(',', bShape)}]");
    }

    private static (Qs8AddOperation Add, Qs8MulOperation Mul) Operations(int kind, Random rng)
    {
        float Scale() => (float)Math.Pow(10, -3 + 3 * rng.NextDouble());
        int[] zeroPoints = [-128, -1, 0, 33, 127];
        int Zp() => zeroPoints[rng.Next(zeroPoints.Length)];
        float sa = Scale(), sb = Scale(), sy = Scale();
        int za = Zp(), zb = Zp(), zy = Zp();
        var (min, max) = rng.Next(3) == 0 ? (Math.Max(zy, -128), 127) : (-128, 127);
        return kind == 2
            ? (default, new Qs8MulOperation(sa, za, sb, zb, sy, zy, min, max))
            : (new Qs8AddOperation(kind == 1, sa, za, sb, zb, sy, zy, min, max), default);
    }

    private static Qs8BinaryKernel? Create(KernelPath path, int kind, Qs8AddOperation add, Qs8MulOperation mul) =>
        kind == 2 ? Qs8BinaryKernel.TryCreate(path, mul) : Qs8BinaryKernel.TryCreate(path, add);

    private static void RunReference(int kind, Qs8AddOperation add, Qs8MulOperation mul, sbyte[] a, int[] aStrides, sbyte[] b,
        int[] bStrides, int[] shape, Span<sbyte> y)
    {
        if (kind == 2) Qs8BinaryReference.Run(mul, a, aStrides, b, bStrides, shape, y);
        else Qs8BinaryReference.Run(add, a, aStrides, b, bStrides, shape, y);
    }
}
