using System.Globalization;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// Turns a model output into the top-k list of a result: softmax when the output is logits (anything that is not
/// already a probability vector), then the k best classes, best first, equal scores in index order. Buffers and label
/// strings are made once, so ranking a frame allocates nothing.
/// </summary>
public sealed class ScoreRanker
{
    // A probability vector from a Softmax node sums to 1 up to float rounding over a few thousand classes.
    private const float SumTolerance = 1e-3f;

    private readonly float[] _scores;
    private readonly string[] _labels;

    /// <param name="classCount">The output's length.</param>
    /// <param name="k">How many classes to report (at most <paramref name="classCount"/>).</param>
    /// <param name="labels">Class names, line i naming class i; classes beyond them are named by their index.</param>
    public ScoreRanker(int classCount, int k, IReadOnlyList<string> labels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _scores = new float[classCount];
        _labels = new string[classCount];
        for (int i = 0; i < classCount; i++)
            _labels[i] = i < labels.Count ? labels[i] : i.ToString(CultureInfo.InvariantCulture);
        K = Math.Min(k, classCount);
    }

    public int K { get; }

    public int ClassCount => _scores.Length;

    /// <summary>The label of class <paramref name="index"/> (its index as text when there is no label).</summary>
    public string LabelOf(int index) => _labels[index];

    /// <summary>Ranks <paramref name="output"/> into <paramref name="topK"/> (length at least <see cref="K"/>) and returns
    /// how many entries are valid (fewer than K only when the output holds NaNs).</summary>
    public int Rank(ReadOnlySpan<float> output, Span<ClassScore> topK)
    {
        if (output.Length != _scores.Length)
            throw new ArgumentException($"the model output has {output.Length} values; the ranker was built for {_scores.Length}", nameof(output));
        if (topK.Length < K)
            throw new ArgumentException($"the top-k buffer holds {topK.Length} entries; {K} are needed", nameof(topK));
        if (IsProbabilityVector(output)) output.CopyTo(_scores);
        else Softmax(output, _scores);

        int count = 0;
        for (int i = 0; i < _scores.Length; i++)
        {
            float s = _scores[i];
            if (float.IsNaN(s)) continue;
            if (count == K && s <= topK[count - 1].Score) continue;
            int at = count < K ? count++ : K - 1;
            // Insertion from the end keeps the list sorted; strict '<' keeps the earlier index first on ties.
            while (at > 0 && topK[at - 1].Score < s)
            {
                topK[at] = topK[at - 1];
                at--;
            }
            topK[at] = new ClassScore(i, _labels[i], s);
        }
        return count;
    }

    private static bool IsProbabilityVector(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            if (!(v >= 0f && v <= 1f)) return false;
            sum += v;
        }
        return Math.Abs(sum - 1.0) <= SumTolerance;
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        // Shifting by the maximum keeps exp() from overflowing on large logits.
        float max = float.NegativeInfinity;
        foreach (float v in logits)
            if (v > max) max = v;
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float e = MathF.Exp(logits[i] - max);
            probabilities[i] = e;
            sum += e;
        }
        float inverse = (float)(1.0 / sum);
        for (int i = 0; i < probabilities.Length; i++) probabilities[i] *= inverse;
    }
}
