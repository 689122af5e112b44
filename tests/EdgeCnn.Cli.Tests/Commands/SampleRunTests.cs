using EdgeCnn.Cli.Commands;

namespace EdgeCnn.Cli.Tests.Commands;

public class SampleRunTests
{
    [Theory]
    [InlineData("9-ankle-boot.png", 9)]
    [InlineData("0-t-shirt-top.png", 0)]
    [InlineData("12-x.png", 12)]
    public void True_class_is_the_leading_number(string file, int expected) =>
        Assert.Equal(expected, SampleRun.TrueClassOf(file));

    [Theory]
    [InlineData("ankle-boot.png")]
    [InlineData("-1-x.png")]
    [InlineData("+1-x.png")]
    [InlineData("9.png")]
    public void Names_without_a_leading_class_number_have_none(string file) =>
        Assert.Null(SampleRun.TrueClassOf(file));

    [Fact]
    public void Top1_softmax_matches_hand_values()
    {
        // logits (0, ln 3): probabilities 1/4 and 3/4
        var (index, p) = SampleRun.Top1Softmax([0f, (float)Math.Log(3)]);
        Assert.Equal(1, index);
        Assert.Equal(0.75, p, 6);
        // Equal logits: the first wins, with 1/n
        Assert.Equal((0, 0.25), SampleRun.Top1Softmax([2f, 2f, 2f, 2f]));
        // Large logits do not overflow: e^1000 would be infinite without subtracting the maximum.
        var (big, pBig) = SampleRun.Top1Softmax([1000f, 999f]);
        Assert.Equal(0, big);
        Assert.Equal(1 / (1 + Math.Exp(-1)), pBig, 9);
    }
}
