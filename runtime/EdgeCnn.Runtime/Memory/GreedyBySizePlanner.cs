namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// Greedy by size, best fit: places the largest buffers first; each goes into the smallest gap, between
/// already placed buffers that are alive at the same time, that is big enough (the lowest such gap on ties),
/// or above all of them when no gap fits. Smallest-gap keeps the large gaps for the large buffers still to come.
/// </summary>
public sealed class GreedyBySizePlanner : IMemoryPlanner
{
    public string Name => "greedy-by-size";

    public (long[] Offsets, long ArenaSize) Plan(IReadOnlyList<BufferRequest> requests, int alignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(alignment));
        var order = Enumerable.Range(0, requests.Count)
            .OrderByDescending(i => requests[i].Size)
            .ThenBy(i => requests[i].FirstUse)
            .ToArray();
        var offsets = new long[requests.Count];
        var placed = new List<int>();
        long arena = 0;
        var live = new List<(long Start, long End)>();
        foreach (var i in order)
        {
            var r = requests[i];
            long size = Align(r.Size, alignment);
            live.Clear();
            foreach (var j in placed)
                if (requests[j].OverlapsInTime(r))
                    live.Add((offsets[j], offsets[j] + Align(requests[j].Size, alignment)));
            live.Sort((a, b) => a.Start.CompareTo(b.Start));

            long candidate = 0;
            long bestOffset = -1, bestGap = long.MaxValue;
            foreach (var (start, end) in live)
            {
                long gap = start - candidate;
                if (gap >= size && gap < bestGap)
                {
                    bestGap = gap;
                    bestOffset = candidate;
                }
                candidate = Math.Max(candidate, end);
            }
            offsets[i] = bestOffset >= 0 ? bestOffset : candidate;
            arena = Math.Max(arena, offsets[i] + size);
            placed.Add(i);
        }
        return (offsets, arena);
    }

    private static long Align(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);
}
