namespace EdgeCnn.Cli.Commands;

/// <summary>The K largest scores with their indices, largest first; equal scores keep index order.</summary>
public static class TopK
{
    public static (int Index, float Score)[] Select(ReadOnlySpan<float> scores, int k)
    {
        k = Math.Min(k, scores.Length);
        if (k <= 0) return [];
        var best = new List<(int Index, float Score)>(k + 1);
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (float.IsNaN(s)) continue;
            if (best.Count == k && s <= best[^1].Score) continue;
            int at = best.Count;
            while (at > 0 && best[at - 1].Score < s) at--;
            best.Insert(at, (i, s));
            if (best.Count > k) best.RemoveAt(best.Count - 1);
        }
        return best.ToArray();
    }
}
