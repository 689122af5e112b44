using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Runtime.Operators;

/// <summary>What an op may ask for while it is prepared.</summary>
public sealed class PrepareContext
{
    public PrepareContext() : this(KernelPath.Reference) { }

    /// <param name="path">The kernel family the session runs; the caller has checked that the CPU supports it.</param>
    public PrepareContext(KernelPath path) => Path = path;

    /// <summary>The kernel family to pick from. An op without a kernel for this path uses the next more
    /// portable one it has (ultimately its reference kernel); the bytes are the same either way.</summary>
    public KernelPath Path { get; }

    internal int ScratchBytes { get; private set; }

    /// <summary>Reserves scratch memory (16-byte aligned) that <see cref="RunContext.Scratch"/> returns
    /// during Invoke. Scratch is shared between ops; its content does not survive between invokes.</summary>
    public void RequestScratch(int bytes)
    {
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes));
        ScratchBytes = Math.Max(ScratchBytes, (bytes + 15) & ~15);
    }
}
