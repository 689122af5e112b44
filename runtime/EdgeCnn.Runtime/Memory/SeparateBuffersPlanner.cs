namespace EdgeCnn.Runtime.Memory;

/// <summary>Gives every buffer its own bytes, one after the other: the arena is the sum of all buffers. No
/// reuse at all, so it is the reference that a planned (shared, in-place) arena must reproduce exactly.</summary>
public sealed class SeparateBuffersPlanner : IMemoryPlanner
{
    public string Name => "separate";

    public (long[] Offsets, long ArenaSize) Plan(IReadOnlyList<BufferRequest> requests, int alignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(alignment));
        var offsets = new long[requests.Count];
        long next = 0;
        for (int i = 0; i < requests.Count; i++)
        {
            offsets[i] = next;
            next += (requests[i].Size + alignment - 1) & ~(long)(alignment - 1);
        }
        return (offsets, next);
    }
}
