namespace EdgeCnn.Compiler.Passes;

/// <summary>numpy broadcasting of static shapes.</summary>
public static class Broadcasting
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>, or null if they do not broadcast.</summary>
    public static int[]? TryShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1) return null;
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary><paramref name="shape"/> with leading 1s up to <paramref name="rank"/>.</summary>
    public static int[] PadLeft(int[] shape, int rank) =>
        shape.Length >= rank ? shape : Enumerable.Repeat(1, rank - shape.Length).Concat(shape).ToArray();
}
