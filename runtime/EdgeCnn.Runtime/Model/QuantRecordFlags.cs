namespace EdgeCnn.Runtime.Model;

/// <summary>Flags of a version-2 quantization record (docs/model-format.md, Quantization section).</summary>
[Flags]
public enum QuantRecordFlags : byte
{
    None = 0,
    /// <summary>An axis byte and a channel count follow; without it the params are per tensor (one channel).</summary>
    PerChannel = 1,
    /// <summary>Zero points are stored after the scales; without it every zero point is 0 (symmetric weights, biases).</summary>
    ZeroPoints = 2,
    /// <summary>No scales are stored: the tensor is the bias of a Conv2D or FullyConnected and its scales are
    /// s_x·s_w[c] of that op's input and weights.</summary>
    DerivedScales = 4,
}

public static class QuantRecordFlagsExtensions
{
    public const QuantRecordFlags All = QuantRecordFlags.PerChannel | QuantRecordFlags.ZeroPoints | QuantRecordFlags.DerivedScales;
}
