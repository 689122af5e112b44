using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// Cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and Bias
/// Correction", section 4.1), run on the optimized float graph before calibration (<c>edgecnn quantize --equalize</c>).
///
/// For a layer pair y = f(W₁x + b₁), z = W₂y + b₂ with f positively homogeneous (f(s·v) = s·f(v) for s &gt; 0),
/// dividing output channel i of layer 1 (its weights and bias) by sᵢ and multiplying input channel i of layer 2 by
/// sᵢ leaves z unchanged. With r₁ᵢ = max|w| of layer 1's output channel i and r₂ᵢ = max|w| of layer 2's input
/// channel i, the paper's choice sᵢ = (1/r₂ᵢ)·√(r₁ᵢ·r₂ᵢ) = √(r₁ᵢ/r₂ᵢ) makes both ranges √(r₁ᵢ·r₂ᵢ), which evens
/// out the per-channel ranges a per-tensor scale has to cover (layer 2's weights per output channel, layer 1's
/// output activations). Ranges are max|w| because EdgeCnn's weights are symmetric.
///
/// A pair is two Conv2D/FullyConnected nodes (any group count: a depthwise layer 2 reads channel i only in
/// group i) with constant float weights, where layer 2 is the only reader of layer 1's output (not a graph
/// output) and reads it as its data input. Layer 1's fused activation must be positively homogeneous: none,
/// Relu, LeakyRelu, or a Clip with lower bound 0 or −∞ and no upper bound. ReLU6 (Clip 0..6) is NOT: its bound
/// would have to become 6/sᵢ per channel, which no runtime op expresses, and the paper's way out (replacing
/// ReLU6 by ReLU) changes the model, so such pairs are left alone. HardSwish, Sigmoid, Tanh, HardSigmoid are
/// skipped for the same reason. Channels with a zero range on either side keep sᵢ = 1.
///
/// Equalizing one pair changes the ranges the neighbouring pairs of a chain see, so the pairs are swept in
/// graph order until no scale moves by more than <see cref="Tolerance"/> (or <see cref="MaxSweeps"/>). Weights
/// are rescaled in double and rounded to float32 once at the end, so the float outputs change only by that rounding.
/// </summary>
public sealed class CrossLayerEqualizationPass : IGraphPass
{
    /// <summary>Stop when every |ln sᵢ| of a sweep is below this (1e-3: scales within 0.1% of 1, a tenth of an int8 step).</summary>
    public double Tolerance { get; init; } = 1e-3;

    public int MaxSweeps { get; init; } = 1000;

    public string Name => "cross-layer-equalization";

    public bool Run(Graph graph) => Equalize(graph).Pairs.Count > 0;

    /// <summary>Equalizes every eligible pair of <paramref name="graph"/> in place and says what it did.</summary>
    public EqualizationSummary Equalize(Graph graph)
    {
        var pairs = FindPairs(graph);
        if (pairs.Count == 0) return new EqualizationSummary([], 0, true);
        int sweeps = 0;
        bool converged = false;
        while (sweeps < MaxSweeps && !converged)
        {
            double largestStep = 0;
            // Alternating the direction carries a change along a long chain (MobileNetV1: 27 convolutions) both ways
            // in one round trip; always sweeping forward needs several times more sweeps to settle.
            for (int k = 0; k < pairs.Count; k++)
            {
                var (first, second) = pairs[sweeps % 2 == 0 ? k : pairs.Count - 1 - k];
                largestStep = Math.Max(largestStep, EqualizePair(first, second));
            }
            sweeps++;
            converged = largestStep < Tolerance;
        }
        var layers = new HashSet<EqualizationLayer>(ReferenceEqualityComparer.Instance);
        foreach (var (first, second) in pairs) { layers.Add(first); layers.Add(second); }
        foreach (var layer in layers) layer.WriteBack(graph);
        graph.Validate();
        return new EqualizationSummary(pairs.Select(p => (p.First.Node.Name, p.Second.Node.Name)).ToList(), sweeps, converged);
    }

    /// <summary>Whether f(s·v) = s·f(v) for every s &gt; 0, so a per-channel scale passes through the activation.</summary>
    public static bool IsPositivelyHomogeneous(Node node)
    {
        switch (node.Activation())
        {
            case ActivationKind.None or ActivationKind.Relu or ActivationKind.LeakyRelu:
                return true;
            case ActivationKind.Clip:
                float low = node.Float(ParamKey.Alpha, float.NegativeInfinity), high = node.Float(ParamKey.Beta, float.PositiveInfinity);
                return (low == 0 || float.IsNegativeInfinity(low)) && float.IsPositiveInfinity(high);
            default:
                return false;
        }
    }

    /// <summary>Applies one round of the paper's scales to a pair; returns the largest |ln sᵢ| applied.</summary>
    private static double EqualizePair(EqualizationLayer first, EqualizationLayer second)
    {
        double largest = 0;
        for (int c = 0; c < first.OutputChannels; c++)
        {
            double r1 = first.OutputRange(c), r2 = second.InputRange(c);
            if (!(r1 > 0 && r2 > 0) || double.IsInfinity(r1) || double.IsInfinity(r2)) continue;
            double s = Math.Sqrt(r1 / r2);
            if (!double.IsFinite(s) || s <= 0) continue;
            first.ScaleOutput(c, 1 / s);
            second.ScaleInput(c, s);
            largest = Math.Max(largest, Math.Abs(Math.Log(s)));
        }
        return largest;
    }

    private static List<(EqualizationLayer First, EqualizationLayer Second)> FindPairs(Graph graph)
    {
        var uses = GraphRewrite.Uses(graph);
        var layers = new Dictionary<Node, EqualizationLayer?>(ReferenceEqualityComparer.Instance);
        EqualizationLayer? LayerOf(Node node)
        {
            if (!layers.TryGetValue(node, out var layer)) layers[node] = layer = EqualizationLayer.TryCreate(node);
            return layer;
        }

        var pairs = new List<(EqualizationLayer, EqualizationLayer)>();
        foreach (var node in graph.Nodes)
        {
            if (node.Outputs.Count != 1 || !IsPositivelyHomogeneous(node)) continue;
            var y = node.Outputs[0];
            if (graph.IsGraphOutput(y) || GraphRewrite.Readers(uses, y) is not [var reader]) continue;
            if (!ReferenceEquals(reader.InputOrNull(0), y) || reader.Inputs.Count(v => ReferenceEquals(v, y)) != 1) continue;
            if (LayerOf(node) is not { } first || LayerOf(reader) is not { } second) continue;
            if (first.OutputChannels != second.InputChannels || y.Shape is not { Length: > 0 } shape || shape[^1] != first.OutputChannels) continue;
            pairs.Add((first, second));
        }
        return pairs;
    }
}
