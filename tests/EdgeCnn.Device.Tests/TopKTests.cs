namespace EdgeCnn.Device.Tests;

public class TopKTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(10, 5)]
    [InlineData(37, 37)]
    [InlineData(1000, 5)]
    public void AgreesWithAStableSortOnRandomScoresWithTies(int length, int k)
    {
        var random = new Random(length * 31 + k);
        // Few distinct values, so ties are common and the lower index must win them.
        float[] scores = Enumerable.Range(0, length).Select(_ => random.Next(8) * 0.5f - 2f).ToArray();
        int[] expected = scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(k).Select(p => p.i).ToArray();
        var indices = new int[k];
        Assert.Equal(k, TopK.Select(scores, indices));
        Assert.Equal(expected, indices);
    }

    [Fact]
    public void KLargerThanTheScoresIsCut()
    {
        var indices = new int[5];
        Assert.Equal(3, TopK.Select([0.1f, 0.9f, 0.5f], indices));
        Assert.Equal([1, 2, 0], indices[..3]);
    }

    [Fact]
    public void NaNLosesToEveryNumber()
    {
        var indices = new int[3];
        TopK.Select([float.NaN, -1f, float.NegativeInfinity], indices);
        Assert.Equal([1, 2, 0], indices);
    }
}
