using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Operators;

namespace EdgeCnn.Compiler.Lowering;

/// <summary>
/// Turns a graph the passes have brought into edge form into a runtime <see cref="CompiledModel"/>: one op
/// per node (op code = node op type, params = the node's ParamKey-named attributes), float32 tensors with
/// static shapes (Int8/Int32 with their QuantParams where the quantizer set <see cref="Value.Quant"/>),
/// constants in a 16-byte aligned weight blob.
/// </summary>
public static class GraphLowering
{
    public static CompiledModel Lower(Graph graph)
    {
        graph.Validate();
        var table = new TensorTable();
        var inputs = graph.Inputs.Select(table.AddInput).ToArray();
        var ops = new List<OpDesc>();
        foreach (var node in graph.Nodes)
        {
            var code = CodeOf(graph, node);
            var opInputs = node.Inputs.Select(v => v is null ? -1 : table.Read(v, node)).ToArray();
            var opOutputs = node.Outputs.Select(v => table.Produce(v, node, graph.Opset)).ToArray();
            ops.Add(new OpDesc(code, node.Name, opInputs, opOutputs, ParamsOf(graph, node, code)));
        }
        var outputs = new int[graph.Outputs.Count];
        for (int i = 0; i < outputs.Length; i++)
        {
            var v = graph.Outputs[i];
            if (graph.Inputs.Any(x => ReferenceEquals(x, v)))
            {
                // The session reads outputs from produced tensors; an input passed straight through needs a copy.
                int source = table.Read(v, new Node("Output", v.Name, [], []));
                int copy = table.AddActivation($"{v.Name}_output", v.RequireShape());
                ops.Add(new OpDesc(OpCode.Reshape, $"{v.Name}_output_copy", [source], [copy], new OpParams()));
                outputs[i] = copy;
                continue;
            }
            if (v.IsConstant) outputs[i] = table.AddConstant(v);
            else if (table.TryGet(v, out int index)) outputs[i] = index;
            else throw new InvalidOperationException($"graph output '{v.Name}' is never produced");
        }
        return new CompiledModel(table.Tensors, ops.ToArray(), inputs, outputs, table.Weights());
    }

    private static OpCode CodeOf(Graph graph, Node node)
    {
        if (!node.TryGetCode(out var code))
            throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset,
                node.Domain == Node.EdgeDomain ? "unknown edge op" : "no pass turned it into a runtime op");
        if (!OperatorFactory.IsSupported(code))
            throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"this runtime has no {code} operator");
        return code;
    }

    private static OpParams ParamsOf(Graph graph, Node node, OpCode code)
    {
        var p = new OpParams();
        foreach (var (name, attr) in node.Attributes)
        {
            if (!Enum.TryParse<ParamKey>(name, ignoreCase: false, out var key) || !Enum.IsDefined(key))
                throw new InvalidOperationException($"{node} has attribute '{name}', which is no op parameter");
            if (key == ParamKey.Axis && code is OpCode.ChannelAffine or OpCode.ChannelShuffle)
            {
                // These ops work on the last axis; the layout pass guarantees it, the file does not store it.
                if (attr.Ints.Length != 1 || attr.Ints[0] != node.Input(0).Rank - 1)
                    throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"channel axis {attr} is not the last axis");
                continue;
            }
            if (key.IsFloat()) p.Set(key, FloatsOf(attr));
            else p.Set(key, IntsOf(node, name, attr));
        }
        return p;
    }

    private static float[] FloatsOf(AttributeValue a) => a.Kind switch
    {
        AttributeKind.Float => [a.F],
        AttributeKind.Int => [a.I],
        AttributeKind.Ints => Array.ConvertAll(a.Ints, v => (float)v),
        _ => a.Floats,
    };

    private static int[] IntsOf(Node node, string name, AttributeValue a)
    {
        var longs = a.Kind switch
        {
            AttributeKind.Int => [a.I],
            AttributeKind.Ints => a.Ints,
            _ => throw new InvalidOperationException($"{node}: parameter {name} must hold integers, holds {a.Kind}"),
        };
        var ints = new int[longs.Length];
        for (int i = 0; i < longs.Length; i++)
        {
            if (longs[i] < int.MinValue || longs[i] > int.MaxValue)
                throw new OnnxImportException($"{node}: parameter {name} value {longs[i]} does not fit 32 bits");
            ints[i] = (int)longs[i];
        }
        return ints;
    }
}
