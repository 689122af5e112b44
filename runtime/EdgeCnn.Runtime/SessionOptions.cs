using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Memory;

namespace EdgeCnn.Runtime;

public sealed class SessionOptions
{
    /// <summary>How activations are packed into the arena. Null (the default) uses the plan stored in the model
    /// file when it has one, else <see cref="GreedyBySizePlanner"/>; a planner given here always replans.</summary>
    public IMemoryPlanner? Planner { get; init; }

    /// <summary>Whether a plan the session makes lets elementwise ops, activations, reshapes and channel shuffles
    /// write over their input (<see cref="InPlaceRules"/>). False gives every tensor its own buffer region.</summary>
    public bool InPlace { get; init; } = true;

    /// <summary>Forces a kernel family (tests run every path on one machine; users compare paths).
    /// Null picks the best the CPU supports. A path the CPU lacks makes the Session constructor throw
    /// <see cref="NotSupportedException"/>.</summary>
    public KernelPath? KernelPath { get; init; }

    /// <summary>Threads that run one op together (intra-op parallelism): the caller's plus ThreadCount − 1 workers
    /// started with the session. Results are byte-identical to one thread. A session with more than one thread must
    /// be disposed to stop its workers. At least 1 (the default).</summary>
    public int ThreadCount { get; init; } = 1;
}
