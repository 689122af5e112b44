using EdgeCnn.Compiler.Onnx.Proto;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// Every node test of the ONNX conformance data, sorted by name, with the ops its graph uses and
/// whether it is in scope: all ops (subgraphs included) from the issue's list, domain ai.onnx, an
/// opset the issue covers.
/// </summary>
internal static class NodeTestCatalog
{
    private static readonly Lazy<IReadOnlyList<NodeTest>> All = new(Load);

    /// <summary>Every test; empty when the data is missing (<see cref="OnnxTestData.NodeDirectory"/> is null).</summary>
    public static IReadOnlyList<NodeTest> Tests => All.Value;

    public static IEnumerable<NodeTest> InScope => Tests.Where(t => t.InScope);

    public static IEnumerable<NodeTest> OutOfScope => Tests.Where(t => !t.InScope);

    public static NodeTest Get(string name) =>
        Tests.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no ONNX node test named '{name}'");

    private static IReadOnlyList<NodeTest> Load()
    {
        var root = OnnxTestData.NodeDirectory;
        if (root is null) return [];
        return System.IO.Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "model.onnx")))
            .Select(Describe)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static NodeTest Describe(string directory)
    {
        string name = Path.GetFileName(directory);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            // A model our schema cannot parse is a finding for the report, not a reason to hide the test.
            return new NodeTest(name, directory, 0, [], [], $"model.onnx does not parse: {ex.Message}");
        }

        int opset = OnnxOpset(model);
        var ops = new SortedSet<string>(StringComparer.Ordinal);
        var foreign = new SortedSet<string>(StringComparer.Ordinal);
        CollectOps(model.Graph, ops, foreign);

        var outOfScope = ops.Where(op => !IssueOperators.InScope.Contains(op)).Concat(foreign).ToList();
        string? reason = null;
        int? raised = null;
        List<string> changed = [];
        if (outOfScope.Count > 0)
            reason = "ops not in the issue's list: " + string.Join(", ", outOfScope);
        else if (opset < IssueOperators.MinOpset && OpsetUpgrade.IsNeutral(ops, opset, out changed))
            raised = IssueOperators.MinOpset;
        else if (opset < IssueOperators.MinOpset)
            reason = $"opset {opset} (the issue covers opsets {IssueOperators.MinOpset}–{IssueOperators.MaxOpset}), and {string.Join(", ", changed)} changed since";
        else if (opset > IssueOperators.MaxOpset)
            reason = $"opset {opset} (the issue covers opsets {IssueOperators.MinOpset}–{IssueOperators.MaxOpset})";
        return new NodeTest(name, directory, opset, ops.ToList(), outOfScope, reason, raised);
    }

    internal static int OnnxOpset(ModelProto model)
    {
        foreach (var o in model.OpsetImport)
            if (o.Domain is "" or "ai.onnx") return (int)o.Version;
        return 0;
    }

    private static void CollectOps(GraphProto? graph, SortedSet<string> ops, SortedSet<string> foreign)
    {
        if (graph is null) return;
        foreach (var node in graph.Node)
        {
            if (node.Domain is "" or "ai.onnx") ops.Add(node.OpType);
            else foreign.Add($"{node.Domain}.{node.OpType}");
            foreach (var a in node.Attribute)
            {
                CollectOps(a.G, ops, foreign);
                foreach (var g in a.Graphs) CollectOps(g, ops, foreign);
            }
        }
    }
}
