namespace EdgeCnn.Cli.Tests;

public class OptionValuesTests
{
    [Fact]
    public void Input_shapes_parse_names_with_separators()
    {
        var shapes = OptionValues.ParseInputShapes(["x=1,3,48,192", "serving:0=1, 10"]);
        Assert.Equal([1, 3, 48, 192], shapes["x"]);
        Assert.Equal([1, 10], shapes["serving:0"]);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("=1,2")]
    [InlineData("x=")]
    [InlineData("x=1,a")]
    [InlineData("x=1,0")]
    [InlineData("x=1,-3")]
    public void Bad_input_shapes_name_the_option(string value)
    {
        var ex = Assert.Throws<UsageException>(() => OptionValues.ParseInputShapes([value]));
        Assert.Contains("--input-shape", ex.Message);
    }

    [Fact]
    public void Duplicate_input_shape_is_rejected() =>
        Assert.Contains("twice", Assert.Throws<UsageException>(() => OptionValues.ParseInputShapes(["x=1", "x=2"])).Message);

    [Theory]
    [InlineData("48x192", 48, 192)]
    [InlineData("32", 32, 32)]
    [InlineData("7X9", 7, 9)]
    public void Sizes_parse(string text, int h, int w) => Assert.Equal((h, w), OptionValues.ParseSize(text));

    [Theory]
    [InlineData("0x4")]
    [InlineData("4x4x4")]
    [InlineData("big")]
    public void Bad_sizes_name_the_option(string text) =>
        Assert.Contains("--size", Assert.Throws<UsageException>(() => OptionValues.ParseSize(text)).Message);

    [Fact]
    public void Float_lists_parse_invariantly()
    {
        Assert.Equal([0.485f, 0.456f, 0.406f], OptionValues.ParseFloats("0.485, 0.456,0.406", "--mean"));
        Assert.Contains("--std", Assert.Throws<UsageException>(() => OptionValues.ParseFloats("0.5,x", "--std")).Message);
        Assert.Throws<UsageException>(() => OptionValues.ParseFloats("NaN", "--std"));
    }
}
