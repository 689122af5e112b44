namespace EdgeCnn.Compiler.Analysis;

/// <summary>
/// Receptive-field arithmetic for one tensor along one spatial axis, in input pixels:
/// <see cref="Rf"/> is what one element sees, <see cref="Jump"/> the input distance between two
/// neighbouring elements, <see cref="Whole"/> what the tensor sees as a whole (so that ops mixing every
/// position, like a fully connected layer after Flatten, know how far their outputs reach).
/// </summary>
internal readonly record struct SpatialReach(double Rf, double Jump, double Whole)
{
    /// <summary>A graph input axis of <paramref name="size"/> pixels.</summary>
    public static SpatialReach Input(int size) => new(1, 1, Math.Max(1, size));

    /// <summary>A sliding window (conv, pooling): k_eff = d(k−1)+1, rf += (k_eff−1)·jump, jump ·= s.</summary>
    public SpatialReach Window(int kernel, int stride, int dilation, int outputSize)
    {
        double rf = Rf + (dilation * (kernel - 1.0)) * Jump;
        double jump = Jump * stride;
        return new(rf, jump, Math.Max(Whole, rf + (outputSize - 1) * jump));
    }

    /// <summary>A transposed conv: each output reads ⌊(k_eff−1)/s⌋+1 neighbouring inputs, outputs are s times denser.</summary>
    public SpatialReach Transposed(int kernel, int stride, int dilation)
    {
        double rf = Rf + Math.Floor(dilation * (kernel - 1.0) / stride) * Jump;
        return new(rf, Jump / stride, Math.Max(Whole, rf));
    }

    /// <summary>Every output depends on every input position. The jump stays: when such an output is broadcast back
    /// onto a feature map (squeeze-and-excitation), the map's spacing is what later windows step over.</summary>
    public SpatialReach Everything() => new(Whole, Jump, Whole);

    public SpatialReach Densify(int factor) => this with { Jump = Jump / factor };

    public static SpatialReach Max(SpatialReach a, SpatialReach b) =>
        new(Math.Max(a.Rf, b.Rf), Math.Max(a.Jump, b.Jump), Math.Max(a.Whole, b.Whole));
}
