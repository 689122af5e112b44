using EdgeCnn.Cli.Commands;

namespace EdgeCnn.Cli.Tests.Commands;

public class TopKTests
{
    [Fact]
    public void Picks_the_largest_in_order_with_ties_by_index()
    {
        float[] scores = [0.1f, 0.7f, 0.05f, 0.7f, 0.15f, float.NaN];
        Assert.Equal([(1, 0.7f), (3, 0.7f), (4, 0.15f)], TopK.Select(scores, 3));
    }

    [Fact]
    public void K_larger_than_the_row_returns_everything_sorted()
    {
        var top = TopK.Select([3f, 1f, 2f], 10);
        Assert.Equal([0, 2, 1], top.Select(t => t.Index));
    }

    [Fact]
    public void Matches_a_full_sort_on_random_scores()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 50; trial++)
        {
            var scores = Enumerable.Range(0, random.Next(1, 40)).Select(_ => (float)random.Next(0, 10)).ToArray();
            int k = random.Next(1, 12);
            var expected = scores.Select((s, i) => (Index: i, Score: s)).OrderByDescending(p => p.Score).ThenBy(p => p.Index).Take(k);
            Assert.Equal(expected, TopK.Select(scores, k));
        }
    }
}
