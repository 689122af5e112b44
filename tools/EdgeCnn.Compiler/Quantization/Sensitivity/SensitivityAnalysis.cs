using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>
/// Per-layer quantization sensitivity (<c>edgecnn quantize --analyze</c>), the question TFLite's quantization
/// debugger and AIMET's per-layer analysis answer: which node hurts the outputs most when it alone runs int8?
/// For every node the full quantization would run int8, the model is quantized with only that node int8 (its
/// float inputs quantized from their calibrated ranges, its output dequantized for the float nodes after it),
/// run over the samples and compared with the float model at its outputs. All variants share one set of
/// calibrated ranges. The ranking then drives a suggested <c>--keep-float</c> list
/// (<see cref="KeepFloatSuggestion"/>).
///
/// Scale-preserving nodes (pools, reshapes, pads, nearest resize) are not analysed: their int8 output is their
/// input's codes moved or maxed (average pools add only the rounding of a mean), so all their error is the
/// quantization of their input, which belongs to the node that writes it; keeping one float would not remove it.
/// </summary>
public static class SensitivityAnalysis
{
    /// <param name="prepared">The float graph after the pass pipeline and <see cref="QuantizationPreparation.Prepare"/>,
    /// as <see cref="Quantizer.Quantize"/> takes it; left unchanged (every variant quantizes a copy).</param>
    /// <param name="floatModel"><paramref name="prepared"/> lowered: the reference.</param>
    /// <param name="ranges">Calibrated ranges by value name, measured on <paramref name="floatModel"/>.</param>
    /// <param name="samples">Each sample: one array per model input, in input order.</param>
    /// <exception cref="ArgumentException">No samples, or a keep-float name names no node.</exception>
    public static SensitivityReport Analyze(Graph prepared, CompiledModel floatModel, IReadOnlyDictionary<string, TensorRange> ranges,
        IReadOnlyList<IReadOnlyList<float[]>> samples, SensitivityOptions? options = null)
    {
        options ??= new SensitivityOptions();
        if (options.MaxSuggested < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxSuggested must not be negative");
        var progress = options.Progress;
        var reference = new FloatReference(floatModel, samples, done => progress?.Invoke(new SensitivityProgress("reference", done, samples.Count)));
        var baseOptions = options.Quantizer with { Int8Only = null };

        var full = Quantize(prepared, ranges, baseOptions);
        var fullQuality = reference.Measure(GraphLowering.Lower(full.Graph));
        var candidates = full.Nodes.Where(n => n.Int8 && n.Role != Int8Role.ScalePreserving).ToList();

        var measured = new List<(NodeDecision Node, VariantQuality Quality, int Order)>();
        var skipped = new List<SkippedNode>();
        for (int i = 0; i < candidates.Count; i++)
        {
            var node = candidates[i];
            var alone = Quantize(prepared, ranges, baseOptions with { Int8Only = [node.Name] });
            var decision = alone.Nodes.First(n => n.Name == node.Name);
            if (!decision.Int8) skipped.Add(new SkippedNode(node.Name, node.OpType, decision.Reason));
            else measured.Add((node, reference.Measure(GraphLowering.Lower(alone.Graph)), i));
            progress?.Invoke(new SensitivityProgress("layers", i + 1, candidates.Count));
        }

        // Worst first: lowest output SQNR; equal SQNRs (exact variants) by cosine, then in graph order.
        var ranked = measured
            .OrderBy(m => m.Quality.SqnrDb)
            .ThenBy(m => m.Quality.MeanCosine)
            .ThenBy(m => m.Order)
            .Select((m, i) => new LayerSensitivity(i + 1, m.Node.Name, m.Node.OpType, m.Node.Role, m.Quality))
            .ToList();

        var suggestion = Suggest(prepared, ranges, baseOptions, reference, fullQuality, ranked, options);
        return new SensitivityReport
        {
            Samples = reference.SampleCount,
            KeptFloat = baseOptions.KeepFloat.ToList(),
            FullInt8 = fullQuality,
            Layers = ranked,
            Skipped = skipped,
            Suggestion = suggestion,
        };
    }

    /// <summary>Tries the worst-ranked nodes in rank order, each added to the nodes kept float so far, re-measuring the
    /// full int8 model every time; a node stays in the list only when it raises the output SQNR, and the search stops
    /// once the target is reached. Individual sensitivities do not simply add up: a node measured alone also carries the
    /// quantization of the tensors around it, which keeping it float in the full model does not remove (a lookup table
    /// kept float computes exactly what its table held), and errors of successive layers partly cancel. So every
    /// candidate list is measured rather than estimated from the ranking.</summary>
    private static KeepFloatSuggestion Suggest(Graph prepared, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions baseOptions,
        FloatReference reference, VariantQuality full, IReadOnlyList<LayerSensitivity> ranked, SensitivityOptions options)
    {
        var steps = new List<SuggestionStep> { new([], full) };
        var kept = new List<string>();
        var best = full;
        // Only nodes that cause some error are worth keeping float.
        var tries = ranked.Where(l => !double.IsPositiveInfinity(l.Quality.SqnrDb)).Take(options.MaxSuggested).ToList();
        for (int i = 0; i < tries.Count && best.SqnrDb < options.TargetSqnrDb; i++)
        {
            List<string> candidate = [.. kept, tries[i].Node];
            var variant = Quantize(prepared, ranges, baseOptions with { KeepFloat = [.. baseOptions.KeepFloat, .. candidate] });
            var quality = reference.Measure(GraphLowering.Lower(variant.Graph));
            steps.Add(new SuggestionStep(candidate, quality));
            if (quality.SqnrDb > best.SqnrDb) (kept, best) = (candidate, quality);
            options.Progress?.Invoke(new SensitivityProgress("suggestion", i + 1, tries.Count));
        }
        return new KeepFloatSuggestion(options.TargetSqnrDb, options.MaxSuggested, kept, best.SqnrDb >= options.TargetSqnrDb, steps);
    }

    private static QuantizationResult Quantize(Graph prepared, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions options) =>
        Quantizer.Quantize(GraphCopy.Of(prepared), ranges, options);
}
