namespace EdgeCnn.Compiler.Quantization.Report;

/// <summary>How closely one int8 tensor follows the float model's tensor of the same meaning, over all samples.</summary>
/// <param name="SqnrDb">10·log10(Σx² / Σ(x − x̂)²) with x the float values and x̂ the dequantized int8 ones;
/// +∞ when they agree exactly, −∞ when the float tensor is all zeros but the int8 one is not.</param>
public sealed record LayerQuality(string Tensor, string FloatTensor, string Node, string Op, float Scale, int ZeroPoint,
    double SqnrDb, double MaxAbsError, long Elements);

/// <summary>A graph output of the int8 model against the float model's.</summary>
/// <param name="Top1Agreement">Share of samples whose arg-max agrees; null for outputs that are no class vector
/// (more than one dimension above 1).</param>
public sealed record OutputQuality(string Name, double MeanCosine, double MinCosine, double? Top1Agreement, double MaxAbsError);

/// <summary>The quantization report (<c>edgecnn quantize --report</c>): per-layer SQNR, output agreement, sizes
/// and the per-node decisions.</summary>
public sealed class QuantizationReport
{
    public required string Model { get; init; }
    public required int Samples { get; init; }
    public required long Fp32Bytes { get; init; }
    public required long Int8Bytes { get; init; }
    public required IReadOnlyList<LayerQuality> Layers { get; init; }
    public required IReadOnlyList<OutputQuality> Outputs { get; init; }
    public required IReadOnlyList<NodeDecision> Nodes { get; init; }
    public required int QuantizeCount { get; init; }
    public required int DequantizeCount { get; init; }
    /// <summary>How the model was quantized (calibration method, weight granularity, kept nodes...), for the reader.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    public double SizeRatio => Fp32Bytes == 0 ? 0 : Int8Bytes / (double)Fp32Bytes;
    public int Int8NodeCount => Nodes.Count(n => n.Int8);
    public int FloatNodeCount => Nodes.Count(n => !n.Int8);
}
