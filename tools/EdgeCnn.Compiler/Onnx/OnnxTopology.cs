using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Orders the nodes of a graph so every node comes after the producers of its inputs. ONNX requires
/// files to be sorted already; this keeps the file's order where it is valid and repairs it otherwise,
/// reporting reads of undefined names and cycles.
/// </summary>
internal static class OnnxTopology
{
    public static int[] Order(GraphProto graph, IEnumerable<string> available)
    {
        var nodes = graph.Node;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        var defined = new HashSet<string>(available, StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
            foreach (var o in nodes[i].Output)
                if (o.Length > 0 && !defined.Contains(o) && !producer.TryAdd(o, i))
                    throw new OnnxImportException($"'{o}' is produced by two nodes ('{NameOf(nodes, producer[o])}' and '{NameOf(nodes, i)}')");

        // 0 = not visited, 1 = on the stack, 2 = emitted.
        var state = new byte[nodes.Count];
        var order = new List<int>(nodes.Count);
        var stack = new Stack<(int Node, int NextInput)>();
        for (int root = 0; root < nodes.Count; root++)
        {
            if (state[root] != 0) continue;
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (n, next) = stack.Pop();
                var inputs = nodes[n].Input;
                bool descended = false;
                for (int k = next; k < inputs.Count; k++)
                {
                    string name = inputs[k];
                    if (name.Length == 0 || defined.Contains(name)) continue;
                    if (!producer.TryGetValue(name, out int p))
                        throw new OnnxImportException($"node '{NameOf(nodes, n)}' ({nodes[n].OpType}) reads '{name}', which no node, input or initializer defines");
                    if (state[p] == 2) continue;
                    if (state[p] == 1)
                        throw new OnnxImportException($"the graph has a cycle through node '{NameOf(nodes, p)}' ({nodes[p].OpType})");
                    stack.Push((n, k + 1));
                    stack.Push((p, 0));
                    state[p] = 1;
                    descended = true;
                    break;
                }
                if (descended) continue;
                state[n] = 2;
                order.Add(n);
            }
        }
        return order.ToArray();
    }

    private static string NameOf(IList<NodeProto> nodes, int i) =>
        nodes[i].Name.Length > 0 ? nodes[i].Name : $"{nodes[i].OpType}_{i}";
}
