using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// Brings the optimized float graph into the form the quantizer works on, BEFORE calibration: both
/// <c>edgecnn calibrate</c> and <c>edgecnn quantize</c> run it right after <see cref="PassPipeline.Run"/>, so
/// the calibrated tensor names are exactly the tensors the quantizer asks ranges for.
///
/// An int8 op can only apply an activation that is a clamp of its output range (Relu, or a Clip whose
/// interval holds 0: the calibrated output range already lies inside the interval, so saturating to the
/// range is the clamp). Any other fused activation (HardSwish, Sigmoid, LeakyRelu, ...) is split back
/// into a standalone Unary after its op: the op's pre-activation output then becomes a tensor of its
/// own, which calibration observes and the quantizer gives its own scale, and the Unary becomes a
/// 256-entry lookup table. The float results are unchanged (the same function, one op later).
/// Running it twice changes nothing the second time.
/// </summary>
public static class QuantizationPreparation
{
    /// <summary>The float model calibration observes and the quantizer starts from: the optimizing pass pipeline,
    /// then <see cref="Prepare"/>, then lowering. <paramref name="graph"/> is left in the prepared form, ready for
    /// <see cref="Quantizer.Quantize"/> with the ranges measured on the returned model.</summary>
    public static CompiledModel CompileFloat(Graph graph)
    {
        PassPipeline.Run(graph, optimize: true);
        Prepare(graph);
        return Lowering.GraphLowering.Lower(graph);
    }

    /// <summary>Splits non-clamp activations off the ops that can run int8. Returns how many were split.</summary>
    public static int Prepare(Graph graph)
    {
        int split = 0;
        foreach (var node in graph.Nodes.ToList())
        {
            if (!CanRunInt8WithActivation(node)) continue;
            var kind = node.Activation();
            if (kind == ActivationKind.None || IsRangeClamp(node)) continue;
            SplitActivation(graph, node, kind);
            split++;
        }
        if (split > 0) graph.Validate();
        return split;
    }

    /// <summary>Whether the fused activation of <paramref name="node"/> is a clamp the output range expresses:
    /// Relu, or Clip with Alpha ≤ 0 ≤ Beta.</summary>
    public static bool IsRangeClamp(Node node)
    {
        var kind = node.Activation();
        if (kind == ActivationKind.Relu) return true;
        if (kind != ActivationKind.Clip) return false;
        float min = node.Float(ParamKey.Alpha, float.NegativeInfinity), max = node.Float(ParamKey.Beta, float.PositiveInfinity);
        return min <= 0 && max >= 0;
    }

    /// <summary>The ops with an int8 variant that also carry a fused activation.</summary>
    private static bool CanRunInt8WithActivation(Node node) =>
        node.Is(OpCode.Conv2D) || node.Is(OpCode.ConvTranspose2D) || node.Is(OpCode.FullyConnected)
        || (node.Is(OpCode.Binary) && (BinaryKind)node.Int(ParamKey.Kind, 0) is BinaryKind.Add or BinaryKind.Sub or BinaryKind.Mul);

    private static void SplitActivation(Graph graph, Node node, ActivationKind kind)
    {
        if (node.Outputs.Count != 1)
            throw new InvalidOperationException($"{node} has {node.Outputs.Count} outputs; a fused activation needs exactly one");
        var y = node.Outputs[0];
        var preActivation = GraphRewrite.NewValue(graph, $"{y.Name}_preact", y.RequireShape());
        node.Outputs[0] = preActivation;
        preActivation.Producer = node;
        var unary = EdgeOps.Unary(graph, kind, preActivation, y, $"{node.Name}_{kind.ToString().ToLowerInvariant()}");
        if (node.Floats(ParamKey.Alpha) is { } alpha) unary.SetParam(ParamKey.Alpha, alpha);
        if (node.Floats(ParamKey.Beta) is { } beta) unary.SetParam(ParamKey.Beta, beta);
        node.RemoveParam(ParamKey.Activation);
        node.RemoveParam(ParamKey.Alpha);
        node.RemoveParam(ParamKey.Beta);
        graph.InsertAfter(node, unary);
    }
}
