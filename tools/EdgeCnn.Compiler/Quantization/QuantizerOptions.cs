namespace EdgeCnn.Compiler.Quantization;

/// <summary>Choices of <see cref="Quantizer"/> beyond the calibrated ranges.</summary>
public sealed record QuantizerOptions
{
    /// <summary>One weight scale per tensor instead of per output channel (for comparison; less accurate).</summary>
    public bool PerTensorWeights { get; init; }

    /// <summary>Names of nodes (as the quantization report and <c>edgecnn inspect</c> list them) that stay float32.</summary>
    public IReadOnlyCollection<string> KeepFloat { get; init; } = [];
}
