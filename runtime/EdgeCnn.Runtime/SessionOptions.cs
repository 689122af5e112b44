using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Memory;

namespace EdgeCnn.Runtime;

public sealed class SessionOptions
{
    /// <summary>How activations are packed into the arena.</summary>
    public IMemoryPlanner Planner { get; init; } = new GreedyBySizePlanner();

    /// <summary>Forces a kernel family (tests run every path on one machine; users compare paths).
    /// Null picks the best the CPU supports. A path the CPU lacks makes the Session constructor throw
    /// <see cref="NotSupportedException"/>.</summary>
    public KernelPath? KernelPath { get; init; }
}
