namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>Choices of <see cref="SensitivityAnalysis"/>.</summary>
public sealed record SensitivityOptions
{
    /// <summary>Output SQNR the suggested <c>--keep-float</c> list aims the full int8 model at. 30 dB means output
    /// noise of a thousandth of the signal power (a cosine similarity of about 0.9995 when the noise is
    /// uncorrelated): well inside the accuracy budgets of docs/quantization.md, yet reachable by 8 bits.</summary>
    public const double DefaultTargetSqnrDb = 30;

    /// <summary>How many of the most sensitive nodes the suggestion tries at most (each try is one more full run over
    /// the samples); the first few nodes of a ranking carry most of the error in practice.</summary>
    public const int DefaultMaxSuggested = 5;

    /// <summary>Quantizer settings every variant shares (per-tensor weights, nodes always kept float).
    /// <see cref="QuantizerOptions.Int8Only"/> is set by the analysis.</summary>
    public QuantizerOptions Quantizer { get; init; } = new();

    public double TargetSqnrDb { get; init; } = DefaultTargetSqnrDb;

    public int MaxSuggested { get; init; } = DefaultMaxSuggested;

    /// <summary>Called after each model variant has run over all samples.</summary>
    public Action<SensitivityProgress>? Progress { get; init; }
}

/// <summary>Where the analysis is: <paramref name="Done"/> of <paramref name="Total"/> variants of <paramref name="Stage"/>.</summary>
/// <param name="Stage">"reference" (the float outputs), "layers" (one node int8 at a time) or "suggestion" (the keep-float search).</param>
public readonly record struct SensitivityProgress(string Stage, int Done, int Total);
