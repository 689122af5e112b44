namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The weights of an int8 GEMM (pointwise/general convolution, fully connected) packed once at Prepare for one
/// kernel path, plus what the output stage needs. Y[row, c] = Apply(B'[c] + Σ_k A[row,k]·W[c,k], c) with the input
/// zero point folded into the bias, B'[c] = B[c] − zp_x·Σ_k W[c,k]; the reference's Σ (x − zp_x)·w equals it
/// modulo 2³², and the operator has checked the true value fits in int32, so the int32 sum is exact.
/// <para>Layout: per group, blocks of <see cref="BlockChannels"/> output channels (the last one zero-padded); inside a
/// block, <see cref="PaddedDepth"/>/<see cref="DepthStep"/> steps, each holding DepthStep consecutive k for every
/// channel of the block, channel-major: [group][block][k / step][channel][k % step]. The step is what one
/// instruction consumes per channel: 1 (Vector128 multiply), 2 (AVX2 VPMADDWD pairs, AdvSimd SMULL/SADALP
/// pairs), 4 (SDOT quadruplets).</para>
/// </summary>
public sealed class Qs8GemmWeights
{
    private Qs8GemmWeights(KernelPath path, int groups, int groupOutChannels, int depth, int blockChannels, int depthStep)
    {
        Path = path;
        Groups = groups;
        GroupOutChannels = groupOutChannels;
        Depth = depth;
        BlockChannels = blockChannels;
        DepthStep = depthStep;
        PaddedDepth = (depth + depthStep - 1) / depthStep * depthStep;
        Blocks = (groupOutChannels + blockChannels - 1) / blockChannels;
        GroupLength = Blocks * PaddedDepth * blockChannels;
    }

    public KernelPath Path { get; }
    public int Groups { get; }
    public int GroupOutChannels { get; }
    public int OutChannels => Groups * GroupOutChannels;

    /// <summary>K: the length of one weight row (KH·KW·Cin/g for a convolution).</summary>
    public int Depth { get; }

    /// <summary>K rounded up to <see cref="DepthStep"/> (the padding weights are 0).</summary>
    public int PaddedDepth { get; }
    public int DepthStep { get; }
    public int BlockChannels { get; }
    public int Blocks { get; }

    /// <summary>Packed elements per group.</summary>
    public int GroupLength { get; }

    /// <summary>The packed weights as bytes (AdvSimd, AdvSimdDp paths), else empty.</summary>
    public sbyte[] Int8 { get; private init; } = [];

    /// <summary>The packed weights widened to int16 (Vector128, Avx2 paths), else empty.</summary>
    public short[] Int16 { get; private init; } = [];

    /// <summary>B'[c] for every output channel, then <see cref="Qs8RequantizeLanes.Padding"/> zeros for vector loads.</summary>
    public int[] Bias { get; private init; } = [];

    public Qs8RequantizeLanes Output { get; private init; } = null!;

    /// <summary>The Avx2 path's output-stage constants in block order (<see cref="X86.Qs8GemmOutputStageAvx2"/>)
    /// when that stage applies to <see cref="Output"/>, else empty (the kernel then runs the general stage).</summary>
    public int[] Avx2OutputStage { get; private init; } = [];

    /// <summary>Whether the Avx2 path runs these weights with the 512-bit kernel (<see cref="X86.Qs8GemmAvx512"/>)
    /// where a call has more than one 4-row tile; needs the packed output stage.</summary>
    public bool UsesAvx512 { get; private init; }

    /// <summary>No weight is −128, so two int8 products always fit int16 (|sum| ≤ 2·128·127): the AdvSimd kernel
    /// may add a second product with SMLAL before widening. Otherwise it widens every product.</summary>
    public bool PairsFitInt16 { get; private init; }

    /// <summary>The block size and depth step of each vector path.</summary>
    public static (int BlockChannels, int DepthStep) LayoutOf(KernelPath path) => path switch
    {
        KernelPath.Vector128 => (8, 1),
        KernelPath.Avx2 => (16, 2),
        KernelPath.AdvSimd => (8, 2),
        KernelPath.AdvSimdDp => (8, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "the reference path runs the unpacked weights"),
    };

    /// <param name="weights">W[groups·groupOutChannels, depth], row-major.</param>
    /// <param name="bias">B[outChannels], or empty.</param>
    /// <param name="avx512">For the Avx2 path: whether to use the 512-bit kernel when the output stage allows it;
    /// null uses it where <see cref="X86.Qs8GemmAvx512.EnabledByDefault"/> and the depth is at most
    /// <see cref="X86.Qs8GemmAvx512.DefaultMaxDepth"/> (tests pass both values to compare them).</param>
    public static Qs8GemmWeights Pack(KernelPath path, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias, int groups,
        int groupOutChannels, int depth, int xZeroPoint, Qs8Requantization output, bool? avx512 = null)
    {
        if (avx512 == true && !X86.Qs8GemmAvx512.IsSupported)
            throw new PlatformNotSupportedException("the 512-bit int8 GEMM needs AVX-512 F and BW, which this CPU lacks");
        var (blockChannels, step) = LayoutOf(path);
        if (groups < 1 || groupOutChannels < 1 || depth < 1)
            throw new ArgumentOutOfRangeException(nameof(groups), $"groups {groups}, channels per group {groupOutChannels} and depth {depth} must be positive");
        int outChannels = groups * groupOutChannels;
        if (weights.Length != (long)outChannels * depth)
            throw new ArgumentException($"weights hold {weights.Length} values, expected {outChannels}×{depth}", nameof(weights));
        if (!bias.IsEmpty && bias.Length != outChannels)
            throw new ArgumentException($"bias holds {bias.Length} values, expected {outChannels}", nameof(bias));
        if (output.Multipliers.Length != outChannels)
            throw new ArgumentException($"the output stage has {output.Multipliers.Length} channels, expected {outChannels}", nameof(output));

        var shape = new Qs8GemmWeights(path, groups, groupOutChannels, depth, blockChannels, step);
        var packed = new sbyte[groups * shape.GroupLength];
        int steps = shape.PaddedDepth / step;
        for (int g = 0; g < groups; g++)
        for (int b = 0; b < shape.Blocks; b++)
        for (int j = 0; j < blockChannels; j++)
        {
            int channel = b * blockChannels + j;
            if (channel >= groupOutChannels) continue;
            var row = weights.Slice((g * groupOutChannels + channel) * depth, depth);
            int blockStart = (g * shape.Blocks + b) * steps * blockChannels * step;
            for (int k = 0; k < depth; k++)
                packed[blockStart + (k / step * blockChannels + j) * step + k % step] = row[k];
        }

        var folded = new int[outChannels + Qs8RequantizeLanes.Padding];
        for (int c = 0; c < outChannels; c++)
        {
            long sum = 0;
            foreach (sbyte w in weights.Slice(c * depth, depth)) sum += w;
            folded[c] = unchecked((int)((bias.IsEmpty ? 0L : bias[c]) - xZeroPoint * sum));
        }

        bool wide = path is KernelPath.Vector128 or KernelPath.Avx2;
        var lanes = new Qs8RequantizeLanes(output);
        bool packedStage = path == KernelPath.Avx2 && X86.Qs8GemmOutputStageAvx2.Applies(lanes);
        return new Qs8GemmWeights(path, groups, groupOutChannels, depth, blockChannels, step)
        {
            Int8 = wide ? [] : packed,
            Int16 = wide ? Array.ConvertAll(packed, v => (short)v) : [],
            Bias = folded,
            Output = lanes,
            Avx2OutputStage = packedStage ? X86.Qs8GemmOutputStageAvx2.Pack(lanes, groups, groupOutChannels, shape.Blocks) : [],
            UsesAvx512 = packedStage && (avx512 ?? (X86.Qs8GemmAvx512.EnabledByDefault && shape.PaddedDepth <= X86.Qs8GemmAvx512.DefaultMaxDepth)),
            PairsFitInt16 = !weights.Contains(sbyte.MinValue),
        };
    }
}
