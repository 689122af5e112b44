namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Splits a run of independent items (the elements of an element-wise op, the channels of a global pool, the output
/// rows of a resize) into contiguous ranges for intra-op threads. Cuts fall on multiples of an alignment so every
/// range but the last covers whole vectors, and a SIMD kernel runs on a range as on the whole. Items are
/// independent, so the ranges together write the bytes of one unsplit run.
/// </summary>
public static class RangeSplit
{
    /// <summary>How many parts for <paramref name="threads"/> threads: at most one per aligned block of items, and only
    /// as many as keep <see cref="Spatial2DRowSlices.MinMacsPerPart"/> of <paramref name="work"/> each.</summary>
    public static int Parts(long items, int threads, long work, int alignment = 1)
    {
        if (alignment < 1) throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be positive");
        long blocks = (items + alignment - 1) / alignment;
        long byWork = Math.Max(1, work / Spatial2DRowSlices.MinMacsPerPart);
        return (int)Math.Max(1, Math.Min(Math.Min(threads, blocks), byWork));
    }

    /// <summary>The items [begin, end) of part <paramref name="part"/> of <paramref name="parts"/>: whole aligned blocks,
    /// as even as integers allow, the last part ending at <paramref name="items"/>.</summary>
    public static (int Begin, int End) Range(long items, int part, int parts, int alignment = 1)
    {
        if (parts < 1 || part < 0 || part >= parts) throw new ArgumentOutOfRangeException(nameof(part), $"part {part} of {parts}");
        long blocks = (items + alignment - 1) / alignment;
        long begin = Math.Min(items, blocks * part / parts * alignment);
        long end = Math.Min(items, blocks * (part + 1) / parts * alignment);
        return ((int)begin, (int)end);
    }
}
