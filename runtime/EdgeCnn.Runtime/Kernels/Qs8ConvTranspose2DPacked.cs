using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// An int8 transposed convolution prepared for the vector kernels (Qs8ConvTranspose2DVector128, Qs8ConvTranspose2DAvx2),
/// which compute it as a gather: output pixel (oh, ow) receives input pixel (ih, iw) through tap (kh, kw) exactly when
/// oh + pad_top − kh·d_h = ih·s_h (and likewise for w). Both the taps per output row and per output column are listed
/// once here, so a kernel never divides. Output channels run in blocks of <see cref="BlockChannels"/> vector lanes
/// within their group; the int8 weights W[Cout,KH,KW,Cin/g] are widened to int16 once, per tap, group and block:
/// <list type="bullet">
/// <item>Vector128: [tap][group][block][i][8 channels] (one int16 multiply per input channel, exact: |x − zp| ≤ 255, |w| ≤ 128);</item>
/// <item>Avx2: [tap][group][block][i/2][8 channels][2] (one VPMADDWD per input channel pair; odd Cin/g padded with a zero weight).</item>
/// </list>
/// Lanes past a group's last channel hold zero weights; their results are not stored. The bias is the op's int32
/// bias (the input zero point is subtracted from the widened inputs, not folded, since the taps an output pixel sees
/// depend on where it lies).
/// With at most <see cref="DotChannels"/> output channels per group (the detector's last upsampling has one) a block
/// would leave most lanes idle, so the weights are packed for dot products over the input channels instead
/// (<see cref="IsDot"/>): [tap][group][o][Depth] with Depth = Cin/g rounded up to 16 and zero weights past Cin/g; a
/// kernel sums lanes of input-channel products, adds the bias and runs the scalar output stage.
/// </summary>
public sealed class Qs8ConvTranspose2DPacked
{
    public const int BlockChannels = 8;

    /// <summary>Groups with at most this many output channels run as dot products over the input channels.</summary>
    public const int DotChannels = 2;

    /// <summary>Input channels per step of the dot-product layout (one 256-bit vector of int16).</summary>
    public const int DotStep = 16;

    private Qs8ConvTranspose2DPacked(KernelPath path, in Spatial2DGeometry g, int depth, int xZeroPoint)
    {
        Path = path;
        Geometry = g;
        Depth = depth;
        XZeroPoint = xZeroPoint;
        Blocks = (g.OutGroupChannels + BlockChannels - 1) / BlockChannels;
        IsDot = g.OutGroupChannels <= DotChannels;
    }

    /// <summary>True when the weights are packed for dot products (few output channels per group).</summary>
    public bool IsDot { get; }

    /// <summary>Per-tap GEMM weights when the taps tile the output (<see cref="Qs8ConvTranspose2DTiled"/>) and the groups
    /// have more than <see cref="DotChannels"/> output channels; the kernels then run as GEMMs. Null otherwise.</summary>
    public Qs8GemmWeights[]? TileGemms { get; private init; }

    /// <summary>The op's output stage, for the scalar stage of the dot-product layout.</summary>
    public Qs8Requantization Requantization { get; private init; } = null!;

    public KernelPath Path { get; }
    public Spatial2DGeometry Geometry { get; }

    /// <summary>Input channels per group as packed: Cin/g, rounded up to even for the pairs of Avx2 and to
    /// <see cref="DotStep"/> for the dot-product layout.</summary>
    public int Depth { get; }

    public int Blocks { get; }
    public int XZeroPoint { get; }
    public short[] Weights { get; private init; } = [];

    /// <summary>B[Cout] followed by <see cref="Qs8RequantizeLanes.Padding"/> zeros, so a block starting at any channel loads whole.</summary>
    public int[] Bias { get; private init; } = [];

    public Qs8RequantizeLanes Output { get; private init; } = null!;

    /// <summary>Taps of output row oh: entries [RowTapStart[oh], RowTapStart[oh + 1]) of RowTapKernel (kh) and RowTapInput (ih).</summary>
    public int[] RowTapStart { get; private init; } = [];
    public int[] RowTapKernel { get; private init; } = [];
    public int[] RowTapInput { get; private init; } = [];

    /// <summary>Taps of output column ow, as for rows.</summary>
    public int[] ColumnTapStart { get; private init; } = [];
    public int[] ColumnTapKernel { get; private init; } = [];
    public int[] ColumnTapInput { get; private init; } = [];

    /// <summary>Int16 values of one (tap, group, block) in <see cref="Weights"/>.</summary>
    public int BlockLength => Depth * BlockChannels;

    /// <summary>Scratch a kernel call needs: the widened input pixels of every tap of one output pixel (all groups),
    /// then the indices of those taps.</summary>
    public int ScratchBytes => TileGemms is { } tiles
        ? Qs8ConvTranspose2DTiled.ScratchBytes(tiles)
        : WideBytes + Geometry.KernelHeight * Geometry.KernelWidth * sizeof(int);

    private int WideBytes => (Geometry.KernelHeight * Geometry.KernelWidth * Geometry.Group * Depth * sizeof(short) + 3) & ~3;

    /// <param name="path">Vector128 or Avx2.</param>
    /// <param name="weights">W[Cout,KH,KW,Cin/g] int8; <paramref name="bias"/> B[Cout] int32, or empty.</param>
    /// <param name="gemmPath">The session's vector path, for the GEMMs of a tiling op (ARM's own GEMM kernels); <paramref name="path"/> when null.</param>
    public static Qs8ConvTranspose2DPacked Pack(KernelPath path, in Spatial2DGeometry g, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias,
        int xZeroPoint, Qs8Requantization output, KernelPath? gemmPath = null)
    {
        if (path is not (KernelPath.Vector128 or KernelPath.Avx2))
            throw new ArgumentOutOfRangeException(nameof(path), path, "int8 transposed convolutions pack for Vector128 or Avx2");
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels, taps = g.KernelHeight * g.KernelWidth;
        if (weights.Length != (long)g.OutChannels * taps * cpg)
            throw new ArgumentException($"weights hold {weights.Length} values, expected {g.OutChannels}×{g.KernelHeight}×{g.KernelWidth}×{cpg}", nameof(weights));
        if (!bias.IsEmpty && bias.Length != g.OutChannels)
            throw new ArgumentException($"bias holds {bias.Length} values, expected {g.OutChannels}", nameof(bias));
        if (output.Multipliers.Length != g.OutChannels)
            throw new ArgumentException($"the output stage has {output.Multipliers.Length} channels, expected {g.OutChannels}", nameof(output));

        bool dot = opg <= DotChannels, pairs = path == KernelPath.Avx2;
        // Tiling ops with blocks of channels run as GEMMs and need none of the gather's int16 weights.
        bool tiled = !dot && Qs8ConvTranspose2DTiled.Applies(g);
        int depth = dot ? (cpg + DotStep - 1) / DotStep * DotStep : pairs ? (cpg + 1) & ~1 : cpg;
        var shape = new Qs8ConvTranspose2DPacked(path, g, depth, xZeroPoint);
        var packed = new short[tiled ? 0 : dot ? taps * g.OutChannels * depth : taps * g.Group * shape.Blocks * shape.BlockLength];
        for (int oc = 0; oc < g.OutChannels && !tiled; oc++)
        {
            int group = oc / opg, block = oc % opg / BlockChannels, lane = oc % opg % BlockChannels;
            for (int tap = 0; tap < taps; tap++)
            {
                int start = dot ? ((tap * g.Group + group) * opg + oc % opg) * depth : ((tap * g.Group + group) * shape.Blocks + block) * shape.BlockLength;
                for (int i = 0; i < cpg; i++)
                {
                    int at = dot ? i : pairs ? (i / 2 * BlockChannels + lane) * 2 + i % 2 : i * BlockChannels + lane;
                    packed[start + at] = weights[(oc * taps + tap) * cpg + i];
                }
            }
        }

        var paddedBias = new int[g.OutChannels + Qs8RequantizeLanes.Padding];
        bias.CopyTo(paddedBias);
        var (rowStart, rowKernel, rowInput) = Taps(g.OutHeight, g.KernelHeight, g.StrideH, g.DilationH, g.PadTop, g.InHeight);
        var (columnStart, columnKernel, columnInput) = Taps(g.OutWidth, g.KernelWidth, g.StrideW, g.DilationW, g.PadLeft, g.InWidth);
        return new Qs8ConvTranspose2DPacked(path, g, depth, xZeroPoint)
        {
            Weights = packed,
            Bias = paddedBias,
            Output = new Qs8RequantizeLanes(output),
            Requantization = output,
            TileGemms = tiled ? Qs8ConvTranspose2DTiled.Pack(gemmPath ?? path, g, weights, bias, xZeroPoint, output) : null,
            RowTapStart = rowStart,
            RowTapKernel = rowKernel,
            RowTapInput = rowInput,
            ColumnTapStart = columnStart,
            ColumnTapKernel = columnKernel,
            ColumnTapInput = columnInput,
        };
    }

    /// <summary>Per output coordinate o, the (k, i) with o + pad − k·d = i·s and 0 ≤ i &lt; inputs, in increasing k.</summary>
    private static (int[] Start, int[] Kernel, int[] Input) Taps(int outputs, int kernel, int stride, int dilation, int pad, int inputs)
    {
        var start = new int[outputs + 1];
        var ks = new List<int>();
        var ins = new List<int>();
        for (int o = 0; o < outputs; o++)
        {
            start[o] = ks.Count;
            for (int k = 0; k < kernel; k++)
            {
                int offset = o + pad - k * dilation;
                if (offset < 0 || offset % stride != 0 || offset / stride >= inputs) continue;
                ks.Add(k);
                ins.Add(offset / stride);
            }
        }
        start[outputs] = ks.Count;
        return (start, ks.ToArray(), ins.ToArray());
    }

    /// <summary>Writes x − zp of <paramref name="count"/> int8 inputs as int16, 16 at a time (the tail as one overlapping
    /// last vector, scalar below 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Widen(ref sbyte source, int count, int zeroPoint, ref short destination)
    {
        if (count < 16)
        {
            for (int i = 0; i < count; i++) Unsafe.Add(ref destination, i) = (short)(Unsafe.Add(ref source, i) - zeroPoint);
            return;
        }
        var zp = Vector128.Create((short)zeroPoint);
        for (int i = 0; ; i += 16)
        {
            int at = Math.Min(i, count - 16);
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref Unsafe.Add(ref source, at)));
            (lower - zp).StoreUnsafe(ref Unsafe.Add(ref destination, at));
            (upper - zp).StoreUnsafe(ref Unsafe.Add(ref destination, at + 8));
            if (at == count - 16) return;
        }
    }

    /// <summary>Stores the first <paramref name="count"/> (1..8) of the 8 requantized bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store8(Vector128<sbyte> values, int count, ref sbyte destination)
    {
        if (count == BlockChannels)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref destination), values.AsUInt64().ToScalar());
            return;
        }
        ulong bits = values.AsUInt64().ToScalar();
        for (int i = 0; i < count; i++) Unsafe.Add(ref destination, i) = (sbyte)(bits >> (8 * i));
    }

    /// <summary>Widens the input pixels of every tap of output pixel (n, oh, ow) into <paramref name="wide"/> (one
    /// [group][Depth] run per tap, in the order the weights are walked) and returns the tap indices kh·KW + kw in
    /// <paramref name="taps"/>; the count of taps is returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int GatherPixel(ref sbyte x0, int n, int oh, int ow, ref short wide, Span<int> taps)
    {
        var g = Geometry;
        int cpg = g.InGroupChannels, run = g.Group * Depth, count = 0;
        for (int r = RowTapStart[oh]; r < RowTapStart[oh + 1]; r++)
        {
            int kh = RowTapKernel[r], rowBase = (n * g.InHeight + RowTapInput[r]) * g.InWidth;
            for (int c = ColumnTapStart[ow]; c < ColumnTapStart[ow + 1]; c++)
            {
                taps[count] = kh * g.KernelWidth + ColumnTapKernel[c];
                ref sbyte pixel = ref Unsafe.Add(ref x0, (nint)(rowBase + ColumnTapInput[c]) * g.InChannels);
                WidenPixel(ref pixel, ref Unsafe.Add(ref wide, count * run));
                count++;
            }
        }
        return count;
    }

    /// <summary>Widens one input pixel into its [group][Depth] run of x − zp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WidenPixel(ref sbyte pixel, ref short slot)
    {
        int cpg = Geometry.InGroupChannels, groups = Geometry.Group;
        if (Depth == cpg && groups == 1)
        {
            Widen(ref pixel, cpg, XZeroPoint, ref slot);
            return;
        }
        for (int group = 0; group < groups; group++)
        {
            ref short groupSlot = ref Unsafe.Add(ref slot, group * Depth);
            Widen(ref Unsafe.Add(ref pixel, group * cpg), cpg, XZeroPoint, ref groupSlot);
            // The pad input of an odd group meets a zero weight; zero it so no stale value is multiplied.
            for (int i = cpg; i < Depth; i++) Unsafe.Add(ref groupSlot, i) = 0;
        }
    }

    /// <summary>True for the dot-product layout when the taps tile the output (<see cref="Qs8ConvTranspose2DTiled.Applies"/>):
    /// each input pixel then feeds KW adjacent outputs of a row, and the kernels widen it once for all of them.</summary>
    internal bool IsTiledDot => IsDot && Qs8ConvTranspose2DTiled.Applies(Geometry);

    internal void CheckRun(int xLength, int yLength, int scratchBytes, int rowBegin, int rowEnd)
    {
        var g = Geometry;
        if (xLength < g.InputLength) throw new ArgumentException($"input holds {xLength} values, {g.InputLength} needed", "x");
        if (yLength < g.OutputLength) throw new ArgumentException($"output holds {yLength} values, {g.OutputLength} needed", "y");
        if (scratchBytes < ScratchBytes) throw new ArgumentException($"scratch holds {scratchBytes} bytes, the kernel needs {ScratchBytes}", "scratch");
        if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > (long)g.Batch * g.OutHeight)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) outside the {g.Batch}×{g.OutHeight} output rows");
    }

    /// <summary>The widened-input region of the scratch.</summary>
    internal static ref short WideScratch(Span<byte> scratch) => ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, short>(scratch));

    /// <summary>The tap-index region of the scratch.</summary>
    internal Span<int> TapScratch(Span<byte> scratch) =>
        MemoryMarshal.Cast<byte, int>(scratch.Slice(WideBytes, Geometry.KernelHeight * Geometry.KernelWidth * sizeof(int)));
}
