namespace EdgeCnn.Runtime.Operators;

/// <summary>What an op may ask for while it is prepared.</summary>
public sealed class PrepareContext
{
    internal int ScratchBytes { get; private set; }

    /// <summary>Reserves scratch memory (16-byte aligned) that <see cref="RunContext.Scratch"/> returns
    /// during Invoke. Scratch is shared between ops; its content does not survive between invokes.</summary>
    public void RequestScratch(int bytes)
    {
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes));
        ScratchBytes = Math.Max(ScratchBytes, (bytes + 15) & ~15);
    }
}
