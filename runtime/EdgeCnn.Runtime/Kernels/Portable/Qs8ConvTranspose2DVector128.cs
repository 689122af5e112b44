using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Kernels.Reference;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Int8 NHWC transposed convolution as a gather (<see cref="Qs8ConvTranspose2DPacked"/>), bit-exact with
/// <see cref="Qs8ConvTranspose2DReference"/>: per output pixel the input pixels of its taps are widened to x − zp in
/// int16 once, then each block of 8 output channels adds, per tap and input channel, one int16 product vector
/// (exact: |x − zp|·|w| ≤ 255·128) widened into two int32 accumulators that started at the bias; the int32 sums wrap
/// as the reference's do, so the order of the additions does not matter. ARM64's AdvSimd paths run this kernel
/// (MUL, SXTL/SXTL2, ADD).
/// </summary>
public static class Qs8ConvTranspose2DVector128
{
    public static void Run(Qs8ConvTranspose2DPacked packed, ReadOnlySpan<sbyte> x, Span<sbyte> y, Span<byte> scratch, int rowBegin, int rowEnd)
    {
        if (packed.Path != KernelPath.Vector128) throw new ArgumentException($"weights packed for {packed.Path}, not Vector128", nameof(packed));
        packed.CheckRun(x.Length, y.Length, scratch.Length, rowBegin, rowEnd);
        if (packed.TileGemms is { } tiles)
        {
            Qs8ConvTranspose2DTiled.Run(tiles, packed.Geometry, x, y, scratch, rowBegin, rowEnd);
            return;
        }
        if (packed.IsTiledDot)
        {
            RunTiledDot(packed, x, y, scratch, rowBegin, rowEnd);
            return;
        }
        var g = packed.Geometry;
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        ref short w0 = ref MemoryMarshal.GetArrayDataReference(packed.Weights);
        ref int bias0 = ref MemoryMarshal.GetArrayDataReference(packed.Bias);
        ref short wide = ref Qs8ConvTranspose2DPacked.WideScratch(scratch);
        var taps = packed.TapScratch(scratch);
        int depth = packed.Depth, blocks = packed.Blocks, blockLength = packed.BlockLength;
        int opg = g.OutGroupChannels, run = g.Group * depth;
        var lanes = packed.Output;

        for (int row = rowBegin; row < rowEnd; row++)
        {
            int n = row / g.OutHeight, oh = row % g.OutHeight;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                int count = packed.GatherPixel(ref x0, n, oh, ow, ref wide, taps);
                ref sbyte pixel = ref Unsafe.Add(ref y0, (nint)(row * g.OutWidth + ow) * g.OutChannels);
                if (packed.IsDot)
                {
                    DotPixel(packed, ref w0, ref wide, taps, count, ref pixel);
                    continue;
                }
                for (int group = 0; group < g.Group; group++)
                for (int block = 0; block < blocks; block++)
                {
                    int channel = group * opg + block * Qs8ConvTranspose2DPacked.BlockChannels;
                    var lower = Vector128.LoadUnsafe(ref Unsafe.Add(ref bias0, channel));
                    var upper = Vector128.LoadUnsafe(ref Unsafe.Add(ref bias0, channel + 4));
                    for (int t = 0; t < count; t++)
                    {
                        ref short weights = ref Unsafe.Add(ref w0, ((taps[t] * g.Group + group) * blocks + block) * blockLength);
                        ref short inputs = ref Unsafe.Add(ref wide, t * run + group * depth);
                        for (int i = 0; i < depth; i++)
                        {
                            var products = Vector128.LoadUnsafe(ref Unsafe.Add(ref weights, i * Qs8ConvTranspose2DPacked.BlockChannels))
                                * Vector128.Create(Unsafe.Add(ref inputs, i));
                            var (a, b) = Vector128.Widen(products);
                            lower += a;
                            upper += b;
                        }
                    }
                    var bytes = Qs8RequantizeVector128.Narrow(Qs8RequantizeVector128.Apply(lower, lanes, channel),
                        Qs8RequantizeVector128.Apply(upper, lanes, channel + 4));
                    Qs8ConvTranspose2DPacked.Store8(bytes, Math.Min(Qs8ConvTranspose2DPacked.BlockChannels, opg - block * Qs8ConvTranspose2DPacked.BlockChannels),
                        ref Unsafe.Add(ref pixel, channel));
                }
            }
        }
    }
    /// <summary>One output pixel of a group with few output channels: per channel, lanes of int16 products of inputs
    /// and weights (8 input channels per step, zero weights past Cin/g) widened into int32, summed, plus the bias,
    /// then the scalar output stage.</summary>
    private static void DotPixel(Qs8ConvTranspose2DPacked packed, ref short w0, ref short wide, Span<int> taps, int count, ref sbyte pixel)
    {
        var g = packed.Geometry;
        int depth = packed.Depth, opg = g.OutGroupChannels, run = g.Group * depth;
        for (int group = 0; group < g.Group; group++)
        for (int o = 0; o < opg; o++)
        {
            var acc = Vector128<int>.Zero;
            for (int t = 0; t < count; t++)
            {
                ref short weights = ref Unsafe.Add(ref w0, ((taps[t] * g.Group + group) * opg + o) * depth);
                ref short inputs = ref Unsafe.Add(ref wide, t * run + group * depth);
                for (int i = 0; i < depth; i += 8)
                {
                    var (a, b) = Vector128.Widen(Vector128.LoadUnsafe(ref Unsafe.Add(ref weights, i)) * Vector128.LoadUnsafe(ref Unsafe.Add(ref inputs, i)));
                    acc += a + b;
                }
            }
            int channel = group * opg + o;
            Unsafe.Add(ref pixel, channel) = packed.Requantization.Apply(packed.Bias[channel] + Vector128.Sum(acc), channel);
        }
    }
    /// <summary>The dot-product layout when the taps tile the output: output row oh reads input row oh / s only, and
    /// input pixel iw feeds outputs iw·s .. iw·s + s − 1 through taps (oh mod s, 0 .. s − 1), so each input pixel is
    /// widened once for its s outputs.</summary>
    private static void RunTiledDot(Qs8ConvTranspose2DPacked packed, ReadOnlySpan<sbyte> x, Span<sbyte> y, Span<byte> scratch, int rowBegin, int rowEnd)
    {
        var g = packed.Geometry;
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        ref short w0 = ref MemoryMarshal.GetArrayDataReference(packed.Weights);
        ref short wide = ref Qs8ConvTranspose2DPacked.WideScratch(scratch);
        int depth = packed.Depth, opg = g.OutGroupChannels, groups = g.Group;
        for (int row = rowBegin; row < rowEnd; row++)
        {
            int n = row / g.OutHeight, oh = row % g.OutHeight, kh = oh % g.StrideH;
            ref sbyte inputRow = ref Unsafe.Add(ref x0, (nint)(n * g.InHeight + oh / g.StrideH) * g.InWidth * g.InChannels);
            ref sbyte outputRow = ref Unsafe.Add(ref y0, (nint)row * g.OutWidth * g.OutChannels);
            for (int iw = 0; iw < g.InWidth; iw++)
            {
                packed.WidenPixel(ref Unsafe.Add(ref inputRow, iw * g.InChannels), ref wide);
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int tap = kh * g.KernelWidth + kw;
                    ref sbyte pixel = ref Unsafe.Add(ref outputRow, (iw * g.StrideW + kw) * g.OutChannels);
                    for (int group = 0; group < groups; group++)
                    for (int o = 0; o < opg; o++)
                    {
                        var acc = Vector128<int>.Zero;
                        ref short weights = ref Unsafe.Add(ref w0, ((tap * groups + group) * opg + o) * depth);
                        ref short inputs = ref Unsafe.Add(ref wide, group * depth);
                    for (int i = 0; i < depth; i += 8)
                    {
                        var (a, b) = Vector128.Widen(Vector128.LoadUnsafe(ref Unsafe.Add(ref weights, i)) * Vector128.LoadUnsafe(ref Unsafe.Add(ref inputs, i)));
                        acc += a + b;
                    }
                    int channel = group * opg + o;
                    Unsafe.Add(ref pixel, channel) = packed.Requantization.Apply(packed.Bias[channel] + Vector128.Sum(acc), channel);
                    }
                }
            }
        }
    }
}
