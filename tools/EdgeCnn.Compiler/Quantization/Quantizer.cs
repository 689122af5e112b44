using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// Post-training int8 quantization of an optimized float graph (after <see cref="Passes.PassPipeline.Run"/> and
/// <see cref="QuantizationPreparation.Prepare"/>), from the ranges calibration measured on that same graph.
/// The result lowers with <see cref="Lowering.GraphLowering.Lower"/> to a model with Int8 tensors. Ops without an
/// int8 variant stay float32 between Quantize/Dequantize, so every model the float path runs also runs
/// quantized. Graph outputs stay float32; graph inputs too (a Quantize follows the input) unless
/// <see cref="QuantizerOptions.Int8Input"/> fuses that Quantize away (<see cref="InputQuantizationFusion"/>). docs/quantization.md describes the scheme.
/// </summary>
public static class Quantizer
{
    /// <summary>Rewrites <paramref name="graph"/> in place and returns it with the decisions taken.</summary>
    /// <param name="ranges">Calibrated real ranges by IR value name.</param>
    /// <exception cref="ArgumentException">A keep-float name names no node, or a weight or bias is not finite.</exception>
    public static QuantizationResult Quantize(Graph graph, IReadOnlyDictionary<string, TensorRange> ranges, QuantizerOptions? options = null)
    {
        options ??= new QuantizerOptions();
        graph.Validate();
        if (options.Int8Input) InputPrologue.RewriteDivisions(graph);
        // Corrected before planning: the correction only changes float biases, which the rewriter then quantizes.
        var corrected = options.BiasCorrectionSamples is { } samples ? BiasCorrection.BiasCorrector.Correct(graph, ranges, options, samples) : null;
        var plan = QuantizationPlan.Build(graph, ranges, options);
        var result = new QuantizationRewriter(graph, plan, options.PerTensorWeights).Apply();
        if (options.Int8Input) result = InputQuantizationFusion.Apply(result);
        result.BiasCorrection = corrected;
        return result;
    }
}
