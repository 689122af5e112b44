using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The float model to calibrate and quantize with <c>--equalize</c>: <see cref="QuantizationPreparation.CompileFloat"/>'s
/// steps with <see cref="CrossLayerEqualizationPass"/> between the optimizing pipeline (which folds batch norms and
/// fuses activations, so the pairs and their activations are visible) and the preparation (which would hide a
/// split activation's pair behind a Unary). Calibration must observe this model: equalization changes the ranges of
/// the equalized layers' outputs, so a range table measured without it does not fit.
/// </summary>
public static class EqualizedFloatModel
{
    /// <summary>Rewrites <paramref name="graph"/> into the equalized, prepared form (ready for <see cref="Quantizer.Quantize"/>)
    /// and returns the float model lowered from it.</summary>
    public static CompiledModel Compile(Graph graph, out EqualizationSummary summary, CrossLayerEqualizationPass? pass = null)
    {
        PassPipeline.Run(graph, optimize: true);
        summary = (pass ?? new CrossLayerEqualizationPass()).Equalize(graph);
        QuantizationPreparation.Prepare(graph);
        return Lowering.GraphLowering.Lower(graph);
    }
}
