using EdgeCnn.Compiler.Quantization.Report;

namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>How closely one quantized variant of the model follows the float model at its outputs, over all samples.</summary>
/// <param name="SqnrDb">10·log10(Σy² / Σ(y − ŷ)²) over every output element of every sample (y float, ŷ the
/// variant's); +∞ when the outputs agree exactly.</param>
public sealed record VariantQuality(double SqnrDb, IReadOnlyList<OutputQuality> Outputs)
{
    /// <summary>The worst output's mean cosine similarity.</summary>
    public double MeanCosine => Outputs.Count == 0 ? 0 : Outputs.Min(o => o.MeanCosine);

    /// <summary>The worst output's smallest per-sample cosine similarity.</summary>
    public double MinCosine => Outputs.Count == 0 ? 0 : Outputs.Min(o => o.MinCosine);

    /// <summary>The worst top-1 agreement of the outputs that are class vectors; null when none is.</summary>
    public double? Top1Agreement
    {
        get
        {
            double? worst = null;
            foreach (var o in Outputs)
                if (o.Top1Agreement is { } t && (worst is null || t < worst)) worst = t;
            return worst;
        }
    }

    /// <summary>The largest absolute output difference of any output.</summary>
    public double MaxAbsError => Outputs.Count == 0 ? 0 : Outputs.Max(o => o.MaxAbsError);
}

/// <summary>The model with only <paramref name="Node"/> int8 (its inputs quantized, its output dequantized), against float.</summary>
/// <param name="Rank">1 for the node whose quantization hurts the outputs most.</param>
public sealed record LayerSensitivity(int Rank, string Node, string Op, Int8Role Role, VariantQuality Quality);

/// <summary>One step of the keep-float search: the full int8 model with <paramref name="KeepFloat"/> kept float32.</summary>
public sealed record SuggestionStep(IReadOnlyList<string> KeepFloat, VariantQuality Quality);

/// <summary>
/// The suggested <c>--keep-float</c> list: the most sensitive nodes, tried in rank order (at most
/// <paramref name="MaxNodes"/>), each kept only when keeping it float as well raises the full int8 model's output
/// SQNR, until the model reaches <paramref name="TargetSqnrDb"/>.
/// </summary>
/// <param name="KeepFloat">The nodes kept (empty when the full int8 model reaches the target, or when no tried node helped).</param>
/// <param name="Reached">Whether the model with <paramref name="KeepFloat"/> kept float reaches the target.</param>
/// <param name="Steps">Every model measured, the first being the full int8 model without extra float nodes, then one
/// per tried list (the nodes kept so far plus the node tried).</param>
public sealed record KeepFloatSuggestion(double TargetSqnrDb, int MaxNodes, IReadOnlyList<string> KeepFloat, bool Reached,
    IReadOnlyList<SuggestionStep> Steps);

/// <summary>A node the analysis could not quantize on its own, and why.</summary>
public sealed record SkippedNode(string Node, string Op, string Reason);

/// <summary>The result of <see cref="SensitivityAnalysis.Analyze"/> (<c>edgecnn quantize --analyze</c>).</summary>
public sealed class SensitivityReport
{
    public required int Samples { get; init; }
    /// <summary>Nodes kept float in every variant (the user's <c>--keep-float</c>).</summary>
    public required IReadOnlyList<string> KeptFloat { get; init; }
    /// <summary>The full int8 model (every quantizable node but <see cref="KeptFloat"/> int8) against float.</summary>
    public required VariantQuality FullInt8 { get; init; }
    /// <summary>One entry per analysed node, worst first.</summary>
    public required IReadOnlyList<LayerSensitivity> Layers { get; init; }
    public required IReadOnlyList<SkippedNode> Skipped { get; init; }
    public required KeepFloatSuggestion Suggestion { get; init; }
}
