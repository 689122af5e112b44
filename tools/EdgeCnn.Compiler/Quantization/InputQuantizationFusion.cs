using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// <see cref="QuantizerOptions.Int8Input"/>: a float graph input whose every use ends in a Quantize, directly or
/// through pure data movement (the NCHW→NHWC transpose the layout pass puts after an image input, reshapes,
/// slices), becomes an Int8 input with that Quantize's params, and the Quantize disappears. The data-movement
/// ops then move int8 codes instead of floats; they copy elements, so quantizing before them gives the same
/// codes as quantizing after. The input keeps its name and shape, so callers that quantize an image straight
/// into it (or hand floats to Session.Run, which quantizes them the same way) see the model they built.
/// An input with any other reader (a float op, a graph output, Quantizes with differing params) stays float.
/// </summary>
internal static class InputQuantizationFusion
{
    public static QuantizationResult Apply(QuantizationResult result)
    {
        var graph = result.Graph;
        var fusedInputs = new List<string>();
        var removedQuantizes = new HashSet<string>(StringComparer.Ordinal);
        var int8Movers = new HashSet<string>(StringComparer.Ordinal);
        var inputTensors = new List<QuantizedTensor>();
        foreach (var input in graph.Inputs)
        {
            if (input.Type != ElementType.Float32) continue;
            if (Region.Collect(graph, input) is not { } region) continue;
            var quant = region.Quantizes[0].Outputs[0].Quant!;
            foreach (var v in region.Values)
            {
                v.Type = ElementType.Int8;
                v.Quant = quant;
                var producer = v.Producer;
                inputTensors.Add(new QuantizedTensor(v.Name, v.Name, producer?.Name ?? v.Name, producer?.OpType ?? "Input", quant));
            }
            foreach (var q in region.Quantizes)
            {
                graph.ReplaceAllUses(q.Outputs[0], q.Inputs[0]!);
                graph.RemoveNode(q);
                removedQuantizes.Add(q.Name);
            }
            foreach (var m in region.Movers) int8Movers.Add(m.Name);
            fusedInputs.Add(input.Name);
        }
        if (fusedInputs.Count == 0) return result;
        graph.Validate();

        var nodes = result.Nodes
            .Select(n => int8Movers.Contains(n.Name) ? n with { Role = Int8Role.ScalePreserving, Int8 = true, Reason = "", MissingRange = null } : n)
            .ToList();
        var tensors = inputTensors.Concat(result.Tensors.Where(t => !removedQuantizes.Contains(t.Node))).ToList();
        return new QuantizationResult(graph, nodes, tensors, result.QuantizeCount - removedQuantizes.Count, result.DequantizeCount)
        {
            Int8Inputs = fusedInputs,
        };
    }

    /// <summary>The values that turn int8 with an input (the input and what data movement makes of it), the
    /// data-movement nodes in between, and the Quantizes that end it.</summary>
    private sealed class Region
    {
        public List<Value> Values { get; } = [];
        public List<Node> Movers { get; } = [];
        public List<Node> Quantizes { get; } = [];

        public static Region? Collect(Graph graph, Value input)
        {
            var uses = GraphRewrite.Uses(graph);
            var region = new Region();
            var queue = new Queue<Value>([input]);
            var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
            while (queue.Count > 0)
            {
                var v = queue.Dequeue();
                if (graph.IsGraphOutput(v)) return null;
                region.Values.Add(v);
                foreach (var reader in GraphRewrite.Readers(uses, v))
                {
                    if (!seen.Add(reader)) return null; // a node reading the region twice is no plain copy of one value
                    if (reader.Is(OpCode.Quantize)) region.Quantizes.Add(reader);
                    else if (InputPrologue.IsDataMovementOf(reader, v) && reader.Outputs.All(o => o.Type == ElementType.Float32))
                    {
                        region.Movers.Add(reader);
                        foreach (var o in reader.Outputs) queue.Enqueue(o);
                    }
                    else return null;
                }
            }
            if (region.Quantizes.Count == 0) return null;
            var first = region.Quantizes[0].Outputs[0].Quant;
            if (first is not { IsPerTensor: true }) return null;
            foreach (var q in region.Quantizes)
                if (q.Outputs[0].Quant is not { } other || !QuantizationPlan.SameQuant(first, other)) return null;
            return region;
        }
    }
}
