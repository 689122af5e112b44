using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Pipeline;

public sealed class ScoreRankerTests
{
    private static ClassScore[] Rank(ScoreRanker ranker, float[] output)
    {
        var top = new ClassScore[ranker.K];
        int count = ranker.Rank(output, top);
        return top[..count];
    }

    [Fact]
    public void Logits_become_softmax_probabilities_matching_the_formula()
    {
        float[] logits = [1.5f, -2f, 7.25f, 0f, 7f];
        var ranker = new ScoreRanker(logits.Length, 3, ["a", "b", "c"]);
        var top = Rank(ranker, logits);

        double sum = logits.Sum(v => Math.Exp(v));
        Assert.Equal([2, 4, 0], top.Select(t => t.Index));
        Assert.Equal(["c", "4", "a"], top.Select(t => t.Label));
        for (int i = 0; i < top.Length; i++)
            Assert.Equal(Math.Exp(logits[top[i].Index]) / sum, top[i].Score, 5);
    }

    [Fact]
    public void Large_logits_do_not_overflow()
    {
        var top = Rank(new ScoreRanker(2, 2, []), [1000f, 999f]);
        Assert.Equal(1 / (1 + Math.Exp(-1)), top[0].Score, 5);
    }

    [Fact]
    public void A_probability_vector_is_reported_as_is()
    {
        float[] probabilities = [0.1f, 0.6f, 0.3f];
        var top = Rank(new ScoreRanker(3, 2, []), probabilities);
        Assert.Equal([0.6f, 0.3f], top.Select(t => t.Score));
    }

    [Fact]
    public void Ties_keep_index_order_nans_are_skipped_and_k_is_capped_at_the_class_count()
    {
        var ranker = new ScoreRanker(4, 10, []);
        Assert.Equal(4, ranker.K);
        // Probabilities with a NaN are not a probability vector; softmax of NaN stays NaN and is left out.
        var top = Rank(ranker, [0.25f, 0.25f, float.NaN, 0.25f]);
        Assert.Empty(top);
        var ties = Rank(ranker, [0.25f, 0.25f, 0.25f, 0.25f]);
        Assert.Equal([0, 1, 2, 3], ties.Select(t => t.Index));
    }

    [Fact]
    public void An_output_of_the_wrong_length_is_rejected_with_both_lengths()
    {
        var ranker = new ScoreRanker(3, 1, []);
        var ex = Assert.Throws<ArgumentException>(() => ranker.Rank(new float[5], new ClassScore[1]));
        Assert.Contains("5 values", ex.Message);
        Assert.Contains("3", ex.Message);
    }

    [Fact]
    public void Ranking_a_frame_allocates_nothing()
    {
        var ranker = new ScoreRanker(1000, 5, []);
        var logits = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i)).ToArray();
        var top = new ClassScore[5];
        ranker.Rank(logits, top);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) ranker.Rank(logits, top);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Enumerable.Range(0, 1000).MaxBy(i => MathF.Sin(i)), top[0].Index);
    }
}
