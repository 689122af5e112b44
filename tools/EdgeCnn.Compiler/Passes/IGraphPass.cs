using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes;

/// <summary>One rewrite of the graph. Passes are pure functions of the graph: they keep no state between runs.</summary>
public interface IGraphPass
{
    /// <summary>Short kebab-case name shown by <c>edgecnn inspect</c>.</summary>
    string Name { get; }

    /// <summary>Rewrites <paramref name="graph"/> in place; returns whether anything changed.</summary>
    bool Run(Graph graph);
}
