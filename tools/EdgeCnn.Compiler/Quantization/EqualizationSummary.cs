namespace EdgeCnn.Compiler.Quantization;

/// <summary>What <see cref="CrossLayerEqualizationPass.Equalize"/> did: the (layer 1, layer 2) node name pairs it
/// rescaled, how many sweeps it ran, and whether the scales settled within the pass's tolerance.</summary>
public sealed record EqualizationSummary(IReadOnlyList<(string First, string Second)> Pairs, int Sweeps, bool Converged);
