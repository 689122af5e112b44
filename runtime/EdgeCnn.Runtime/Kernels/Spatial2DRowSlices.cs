namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// Splits a windowed NHWC op (convolution) into parts by output rows, for intra-op threads. A part's rows
/// (counted over all images) are cut into one slice per image; a slice is a geometry of its own (one image, its
/// output rows, the input rows they read, the top padding they still see) with the offsets of its input and output
/// elements, so any kernel runs on it unchanged and every output pixel sees exactly the taps it sees in the whole op.
/// Output rows are independent, so the parts together write the bytes of one unsplit run.
/// </summary>
public static class Spatial2DRowSlices
{
    /// <summary>Fewer multiply-accumulates than this per part are not worth waking a worker for.</summary>
    public const long MinMacsPerPart = 64 * 1024;

    /// <summary>How many parts to use for <paramref name="threads"/> threads: at most one per output row, and
    /// only as many as keep <see cref="MinMacsPerPart"/> of work each. <see cref="Slice"/> expects the op to have
    /// been split only when this is above 1.</summary>
    public static int Parts(in Spatial2DGeometry g, int threads) =>
        Parts(g, threads, (long)g.Batch * g.OutHeight * g.OutWidth * g.OutChannels * g.KernelHeight * g.KernelWidth * g.InGroupChannels);

    /// <summary><see cref="Parts(in Spatial2DGeometry, int)"/> for an op whose work is not a convolution's MACs (a
    /// pool: one tap per output element and window position), given as <paramref name="work"/> MAC-like steps.</summary>
    public static int Parts(in Spatial2DGeometry g, int threads, long work)
    {
        // A last row whose windows start below the input sees only bottom padding; such odd pads stay whole.
        if ((long)(g.OutHeight - 1) * g.StrideH - g.PadTop >= g.InHeight) return 1;
        long rows = (long)g.Batch * g.OutHeight;
        long byWork = Math.Max(1, work / MinMacsPerPart);
        return (int)Math.Max(1, Math.Min(Math.Min(threads, rows), byWork));
    }

    /// <summary>The flat output rows [begin, end) of part <paramref name="part"/> of <paramref name="parts"/>
    /// (as even as integers allow).</summary>
    public static (int Begin, int End) PartRows(in Spatial2DGeometry g, int part, int parts)
    {
        long rows = (long)g.Batch * g.OutHeight;
        return ((int)(rows * part / parts), (int)(rows * (part + 1) / parts));
    }

    /// <summary>The slice starting at flat output row <paramref name="begin"/> and ending at <paramref name="end"/>
    /// or at its image's last row, whichever comes first; advance <paramref name="begin"/> by
    /// <see cref="Spatial2DSlice.Geometry"/>.OutHeight for the next.</summary>
    public static Spatial2DSlice Slice(in Spatial2DGeometry g, int begin, int end)
    {
        if (begin < 0 || end <= begin || end > (long)g.Batch * g.OutHeight)
            throw new ArgumentOutOfRangeException(nameof(begin), $"rows [{begin}, {end}) outside the {g.Batch}×{g.OutHeight} output rows");
        int n = begin / g.OutHeight, first = begin % g.OutHeight;
        int last = Math.Min(g.OutHeight, first + (end - begin)); // exclusive
        // Input rows the slice's windows can touch, in whole-image coordinates (negative = top padding).
        int origin = first * g.StrideH - g.PadTop;
        int reach = (last - 1) * g.StrideH - g.PadTop + (g.KernelHeight - 1) * g.DilationH + 1; // exclusive
        int inFirst = Math.Clamp(origin, 0, g.InHeight - 1);
        // At least one input row even for a slice that only sees padding, so the geometry stays well formed.
        int inEnd = Math.Max(Math.Min(reach, g.InHeight), inFirst + 1);
        var geometry = g with
        {
            Batch = 1,
            InHeight = inEnd - inFirst,
            OutHeight = last - first,
            PadTop = inFirst - origin,
            // The padded extent ends where the whole op's does (a window that counts padding taps, as an average
            // pool may, counts the same ones); a slice cut above the last input row reaches no padding below.
            PadBottom = inEnd == g.InHeight ? g.PadBottom : 0,
        };
        int inputStart = (n * g.InHeight + inFirst) * g.InWidth * g.InChannels;
        int outputStart = (n * g.OutHeight + first) * g.OutWidth * g.OutChannels;
        return new Spatial2DSlice(geometry, inputStart, outputStart);
    }
}

/// <summary>One image's run of output rows as a geometry of its own; its input elements start at
/// <see cref="InputStart"/> of the whole input (length Geometry.InputLength), its output at <see cref="OutputStart"/>.</summary>
public readonly record struct Spatial2DSlice(Spatial2DGeometry Geometry, int InputStart, int OutputStart);
