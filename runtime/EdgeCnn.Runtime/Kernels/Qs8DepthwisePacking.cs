namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// A depthwise int8 convolution's constants repacked once, at Prepare, for the SIMD kernels. Output channel
/// oc = c·M + j (input channel c, multiplier index j) moves to position j·Cin + c, so for a fixed j the 16
/// adjacent lanes of a vector are 16 adjacent input channels:
/// <list type="bullet">
/// <item>weights as int16 [M][KH·KW][Cin] (|x − zp| ≤ 255 times |w| ≤ 128 fits int16, so one 16-bit multiply is exact);</item>
/// <item>bias as int32 [M][Cin] (0 without a bias);</item>
/// <item>the requantization (multipliers, shifts) in the same order, scalar and as vector lanes.</item>
/// </list>
/// </summary>
public sealed class Qs8DepthwisePacking
{
    public Qs8DepthwisePacking(in Spatial2DGeometry g, ReadOnlySpan<sbyte> weights, ReadOnlySpan<int> bias, Qs8Requantization output)
    {
        int cin = g.InChannels;
        if (g.Group != cin || g.OutChannels % cin != 0)
            throw new ArgumentException($"not a depthwise convolution: {g.Group} groups for {cin} input and {g.OutChannels} output channels", nameof(g));
        Taps = g.KernelHeight * g.KernelWidth;
        Multiplier = g.OutChannels / cin;
        if (weights.Length != g.OutChannels * Taps) throw new ArgumentException($"weights hold {weights.Length} values, {g.OutChannels}x{Taps} expected", nameof(weights));
        if (!bias.IsEmpty && bias.Length != g.OutChannels) throw new ArgumentException($"bias holds {bias.Length} values, {g.OutChannels} expected", nameof(bias));
        if (output.Multipliers.Length != g.OutChannels) throw new ArgumentException($"{output.Multipliers.Length} output multipliers for {g.OutChannels} channels", nameof(output));

        Weights = new short[g.OutChannels * Taps];
        Bias = new int[g.OutChannels];
        var multipliers = new int[g.OutChannels];
        var shifts = new int[g.OutChannels];
        for (int j = 0; j < Multiplier; j++)
        for (int c = 0; c < cin; c++)
        {
            int oc = c * Multiplier + j, packed = j * cin + c;
            for (int t = 0; t < Taps; t++) Weights[(j * Taps + t) * cin + c] = weights[oc * Taps + t];
            Bias[packed] = bias.IsEmpty ? 0 : bias[oc];
            multipliers[packed] = output.Multipliers[oc];
            shifts[packed] = output.Shifts[oc];
        }
        Requantization = new Qs8Requantization(multipliers, shifts, output.ZeroPoint, output.Min, output.Max);
        Lanes = new Qs8RequantizeLanes(Requantization);
        Avx2FullWindows = X86.Qs8DepthwiseConv3x3Avx2.PackFullWindows(Taps, Multiplier, cin, Weights, Bias, Lanes);
    }

    /// <summary>Output channels per input channel (M).</summary>
    public int Multiplier { get; }

    /// <summary>KH·KW.</summary>
    public int Taps { get; }

    public short[] Weights { get; }
    public int[] Bias { get; }
    public Qs8Requantization Requantization { get; }
    public Qs8RequantizeLanes Lanes { get; }

    /// <summary>The AVX2 3×3 kernel's full-window blocks (<see cref="X86.Qs8DepthwiseConv3x3Avx2.PackFullWindows"/>),
    /// or empty where that kernel does not apply or its output stage needs the general form.</summary>
    public int[] Avx2FullWindows { get; }
}
