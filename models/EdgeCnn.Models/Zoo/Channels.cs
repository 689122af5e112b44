namespace EdgeCnn.Models.Zoo;

/// <summary>Width-multiplier rounding rules used by the reference implementations.</summary>
public static class Channels
{
    /// <summary>Round-half-up of <paramref name="channels"/>·<paramref name="width"/> to a multiple of
    /// <paramref name="multiple"/>, at least one multiple.</summary>
    public static int Scale(int channels, double width, int multiple = 1)
    {
        double scaled = channels * width / multiple;
        return Math.Max(1, (int)Math.Floor(scaled + 0.5)) * multiple;
    }

    /// <summary>MobileNet's rounding (TensorFlow's <c>_make_divisible</c>): the nearest multiple of
    /// <paramref name="divisor"/>, at least <paramref name="divisor"/>, never more than 10% below the exact value.</summary>
    public static int MakeDivisible(double value, int divisor = 8)
    {
        int rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }
}
