using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes;

/// <summary>Removes nodes whose outputs nothing reads (neither a node nor the graph outputs).</summary>
public sealed class DeadNodeEliminationPass : IGraphPass
{
    public string Name => "dead-node-elimination";

    public bool Run(Graph graph) => GraphRewrite.RemoveDeadNodes(graph);
}
