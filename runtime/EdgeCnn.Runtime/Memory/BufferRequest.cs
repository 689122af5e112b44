namespace EdgeCnn.Runtime.Memory;

/// <summary>A buffer to place in the arena: its size and the op steps during which it must stay intact
/// (inclusive at both ends).</summary>
public readonly record struct BufferRequest(int Id, long Size, int FirstUse, int LastUse)
{
    public bool OverlapsInTime(in BufferRequest other) => FirstUse <= other.LastUse && other.FirstUse <= LastUse;
}

/// <summary>Assigns arena offsets to buffers so that buffers alive at the same time never overlap.</summary>
public interface IMemoryPlanner
{
    /// <summary>A short name, stored with a compiled plan and printed by inspect.</summary>
    string Name => GetType().Name;

    /// <summary>Returns one offset per request (same order) and the arena size they need.</summary>
    (long[] Offsets, long ArenaSize) Plan(IReadOnlyList<BufferRequest> requests, int alignment);
}
