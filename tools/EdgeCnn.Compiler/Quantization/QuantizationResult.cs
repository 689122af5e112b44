using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>What the quantizer decided for one node of the float graph.</summary>
/// <param name="Reason">Why it stays float (empty for int8 nodes).</param>
/// <param name="MissingRange">The tensor whose missing calibration range keeps it float, if that is the reason.</param>
public sealed record NodeDecision(string Name, string OpType, Int8Role Role, bool Int8, string Reason, string? MissingRange = null);

/// <summary>An int8 activation of the quantized graph and the float tensor it approximates.</summary>
/// <param name="Name">The int8 tensor's name in the quantized graph.</param>
/// <param name="FloatName">The tensor of the float graph holding the same real values.</param>
/// <param name="Node">The node that writes it (a Quantize node for quantized float tensors).</param>
public sealed record QuantizedTensor(string Name, string FloatName, string Node, string OpType, QuantParams Quant);

/// <summary>The quantized graph and what was done to get it.</summary>
public sealed class QuantizationResult
{
    internal QuantizationResult(Graph graph, IReadOnlyList<NodeDecision> nodes, IReadOnlyList<QuantizedTensor> tensors, int quantizes, int dequantizes)
    {
        Graph = graph;
        Nodes = nodes;
        Tensors = tensors;
        QuantizeCount = quantizes;
        DequantizeCount = dequantizes;
    }

    public Graph Graph { get; }
    /// <summary>One entry per node of the float graph, in its order.</summary>
    public IReadOnlyList<NodeDecision> Nodes { get; }
    /// <summary>Every int8 activation tensor, in the order they are computed.</summary>
    public IReadOnlyList<QuantizedTensor> Tensors { get; }
    public int QuantizeCount { get; }
    /// <summary>What bias correction changed (null when <see cref="QuantizerOptions.BiasCorrectionSamples"/> was not set).</summary>
    public EdgeCnn.Compiler.Quantization.BiasCorrection.BiasCorrectionSummary? BiasCorrection { get; internal set; }
    public int DequantizeCount { get; }
    /// <summary>The graph inputs that became Int8 (<see cref="QuantizerOptions.Int8Input"/>), by name.</summary>
    public IReadOnlyList<string> Int8Inputs { get; init; } = [];
    public int Int8NodeCount => Nodes.Count(n => n.Int8);
    public int FloatNodeCount => Nodes.Count(n => !n.Int8);
}
