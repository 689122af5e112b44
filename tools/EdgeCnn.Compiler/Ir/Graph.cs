namespace EdgeCnn.Compiler.Ir;

/// <summary>
/// A dataflow graph: nodes in topological order, graph inputs (runtime data), constants and outputs.
/// Passes edit it through the helpers here, which keep producer links right.
/// </summary>
public sealed class Graph
{
    private int _uniqueCounter;

    public string Name { get; set; } = "graph";
    /// <summary>The ai.onnx opset the model was written for (decides attribute/input conventions).</summary>
    public int Opset { get; set; } = 13;
    public List<Node> Nodes { get; } = new();
    public List<Value> Inputs { get; } = new();
    public List<Value> Outputs { get; } = new();

    /// <summary>Appends a node (callers keep topological order) and sets the producer of its outputs.</summary>
    public Node AddNode(Node node)
    {
        Nodes.Add(node);
        foreach (var o in node.Outputs) o.Producer = node;
        return node;
    }

    /// <summary>Inserts a node at a position in the node list and sets the producer of its outputs.</summary>
    public Node InsertNode(int index, Node node)
    {
        Nodes.Insert(index, node);
        foreach (var o in node.Outputs) o.Producer = node;
        return node;
    }

    /// <summary>Inserts <paramref name="node"/> right before <paramref name="anchor"/>.</summary>
    public Node InsertBefore(Node anchor, Node node) => InsertNode(IndexOf(anchor), node);

    /// <summary>Inserts <paramref name="node"/> right after <paramref name="anchor"/>.</summary>
    public Node InsertAfter(Node anchor, Node node) => InsertNode(IndexOf(anchor) + 1, node);

    public void RemoveNode(Node node)
    {
        Nodes.Remove(node);
        foreach (var o in node.Outputs)
            if (o.Producer == node) o.Producer = null;
    }

    public int IndexOf(Node node)
    {
        int i = Nodes.IndexOf(node);
        return i >= 0 ? i : throw new InvalidOperationException($"{node} is not in the graph");
    }

    /// <summary>Every node that reads <paramref name="value"/>.</summary>
    public List<Node> ConsumersOf(Value value)
    {
        var list = new List<Node>();
        foreach (var n in Nodes)
            foreach (var i in n.Inputs)
                if (ReferenceEquals(i, value)) { list.Add(n); break; }
        return list;
    }

    public bool IsGraphOutput(Value value) => Outputs.Any(o => ReferenceEquals(o, value));

    /// <summary>Makes every reader of <paramref name="oldValue"/> (nodes and graph outputs) read <paramref name="newValue"/>.</summary>
    public void ReplaceAllUses(Value oldValue, Value newValue)
    {
        foreach (var n in Nodes)
            for (int i = 0; i < n.Inputs.Count; i++)
                if (ReferenceEquals(n.Inputs[i], oldValue)) n.Inputs[i] = newValue;
        for (int i = 0; i < Outputs.Count; i++)
            if (ReferenceEquals(Outputs[i], oldValue)) Outputs[i] = newValue;
    }

    /// <summary>A name not used by any value or node yet, derived from <paramref name="hint"/>.</summary>
    public string UniqueName(string hint)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in AllValues()) used.Add(v.Name);
        foreach (var n in Nodes) used.Add(n.Name);
        if (!used.Contains(hint)) return hint;
        string name;
        do name = $"{hint}_{++_uniqueCounter}"; while (used.Contains(name));
        return name;
    }

    /// <summary>Creates a constant value with a unique name (not attached until a node reads it).</summary>
    public Value NewConstant(string hint, TensorData data) => Value.FromConstant(UniqueName(hint), data);

    /// <summary>Every distinct value the graph touches: inputs, node inputs/outputs, outputs.</summary>
    public IEnumerable<Value> AllValues()
    {
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var v in Inputs) if (seen.Add(v)) yield return v;
        foreach (var n in Nodes)
        {
            foreach (var v in n.Inputs) if (v is not null && seen.Add(v)) yield return v;
            foreach (var v in n.Outputs) if (seen.Add(v)) yield return v;
        }
        foreach (var v in Outputs) if (seen.Add(v)) yield return v;
    }

    /// <summary>Checks structural invariants: every input is produced before use, names are unique.
    /// Throws <see cref="InvalidOperationException"/> naming the problem (a bug in a pass, not bad user input).</summary>
    public void Validate()
    {
        var available = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var v in Inputs) available.Add(v);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in Nodes)
        {
            foreach (var v in n.Inputs)
                if (v is not null && !v.IsConstant && !available.Contains(v))
                    throw new InvalidOperationException($"{n} reads '{v.Name}' before it is produced");
            foreach (var v in n.Outputs)
            {
                if (!available.Add(v)) throw new InvalidOperationException($"'{v.Name}' is produced twice ({n})");
                if (!names.Add(v.Name)) throw new InvalidOperationException($"two values are named '{v.Name}'");
            }
        }
        foreach (var v in Outputs)
            if (!v.IsConstant && !available.Contains(v))
                throw new InvalidOperationException($"graph output '{v.Name}' is never produced");
    }
}
