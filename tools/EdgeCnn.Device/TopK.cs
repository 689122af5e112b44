namespace EdgeCnn.Device;

/// <summary>The indices of the largest scores, best first; ties go to the lower index (as numpy's stable argsort).</summary>
public static class TopK
{
    /// <summary>Writes the indices of the <paramref name="indices"/>.Length largest values of <paramref name="scores"/>.</summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> indices)
    {
        int k = Math.Min(indices.Length, scores.Length);
        for (int n = 0; n < k; n++)
        {
            int best = -1;
            for (int i = 0; i < scores.Length; i++)
            {
                if (indices[..n].Contains(i)) continue;
                // NaN never wins, so a NaN score cannot hide a real class.
                if (best < 0 || scores[i] > scores[best] || (float.IsNaN(scores[best]) && !float.IsNaN(scores[i]))) best = i;
            }
            indices[n] = best;
        }
        return k;
    }
}
