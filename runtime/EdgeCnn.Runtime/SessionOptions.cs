using EdgeCnn.Runtime.Memory;

namespace EdgeCnn.Runtime;

public sealed class SessionOptions
{
    /// <summary>How activations are packed into the arena.</summary>
    public IMemoryPlanner Planner { get; init; } = new GreedyBySizePlanner();
}
