using EdgeCnn.Hardware.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>YUYV (BT.601 limited range) → RGB and gray, against values computed by hand and against the float formula
/// written out here independently.</summary>
public sealed class YuyvToRgbTests
{
    /// <summary>The BT.601 colour bars: (Y, U, V) of each pure colour and what the exact formula gives, e.g. red
    /// (81, 90, 240): R = 1.164383·65 + 1.596027·112 = 254.44 → 254, G = 75.68 + 0.391762·38 − 0.812968·112 = −0.48 → 0,
    /// B = 75.68 − 2.017232·38 = −0.97 → 0.</summary>
    [Theory]
    [InlineData(16, 128, 128, 0, 0, 0)]        // black
    [InlineData(235, 128, 128, 255, 255, 255)] // white: 1.164383·219 = 255.0
    [InlineData(126, 128, 128, 128, 128, 128)] // mid grey: 1.164383·110 = 128.08
    [InlineData(0, 128, 128, 0, 0, 0)]         // below black clamps
    [InlineData(255, 128, 128, 255, 255, 255)] // above white clamps
    [InlineData(81, 90, 240, 254, 0, 0)]       // red
    [InlineData(145, 54, 34, 0, 255, 1)]       // green: B = 1.164383·129 − 2.017232·74 = 0.93
    [InlineData(41, 240, 110, 0, 0, 255)]      // blue
    [InlineData(210, 16, 146, 255, 255, 0)]    // yellow
    [InlineData(170, 166, 16, 1, 255, 255)]    // cyan: R = 1.164383·154 − 1.596027·112 = 0.55
    [InlineData(106, 202, 222, 255, 0, 254)]   // magenta
    public void Pure_colours_convert_to_the_hand_computed_rgb(int y, int u, int v, int r, int g, int b)
    {
        byte[] frame = [(byte)y, (byte)u, (byte)y, (byte)v];
        var rgb = new byte[6];
        YuyvToRgb.ToRgb(frame, 2, 1, 4, rgb);
        Assert.Equal(new byte[] { (byte)r, (byte)g, (byte)b, (byte)r, (byte)g, (byte)b }, rgb);
    }

    [Fact]
    public void Grey_ramp_expands_limited_to_full_range_in_rgb_and_gray()
    {
        // Y = 16 + k with neutral chroma is the grey 255·k/219, rounded half up (k = 0..219, then the clamped tail).
        const int width = 256;
        var frame = new byte[width * 2];
        for (int x = 0; x < width; x++)
        {
            frame[2 * x] = (byte)x;
            frame[2 * x + 1] = 128;
        }
        var rgb = new byte[width * 3];
        var gray = new byte[width];
        YuyvToRgb.ToRgb(frame, width, 1, width * 2, rgb);
        YuyvToRgb.ToGray(frame, width, 1, width * 2, gray);
        for (int x = 0; x < width; x++)
        {
            int k = Math.Clamp(x - 16, 0, 219);
            int expected = (255 * k * 2 + 219) / (2 * 219);
            Assert.True(expected == rgb[3 * x] && expected == rgb[3 * x + 1] && expected == rgb[3 * x + 2] && expected == gray[x],
                $"Y={x}: expected {expected}, RGB ({rgb[3 * x]}, {rgb[3 * x + 1]}, {rgb[3 * x + 2]}), gray {gray[x]}");
        }
    }

    [Fact]
    public void Every_colour_is_within_one_level_of_the_float_formula()
    {
        // Y, U, V over their whole range in steps of 3 (86³ triples), padded rows, and a second pixel per pair.
        var rgb = new byte[6];
        int worst = 0;
        for (int y = 0; y < 256; y += 3)
            for (int u = 0; u < 256; u += 3)
                for (int v = 0; v < 256; v += 3)
                {
                    int y1 = 255 - y;
                    byte[] frame = [(byte)y, (byte)u, (byte)y1, (byte)v, 0xA5, 0xA5];
                    YuyvToRgb.ToRgb(frame, 2, 1, 6, rgb);
                    var (r0, g0, b0) = FloatBt601(y, u, v);
                    var (r1, g1, b1) = FloatBt601(y1, u, v);
                    int[] errors = [rgb[0] - r0, rgb[1] - g0, rgb[2] - b0, rgb[3] - r1, rgb[4] - g1, rgb[5] - b1];
                    foreach (var e in errors)
                    {
                        Assert.True(Math.Abs(e) <= 1, $"YUV ({y},{u},{v}) / Y1 {y1}: RGB ({string.Join(',', rgb)}) is off by {e}");
                        worst = Math.Max(worst, Math.Abs(e));
                    }
                }
        Assert.True(worst <= 1);
    }

    [Fact]
    public void Padded_rows_are_skipped()
    {
        // 4x3 frame with 12 bytes per line (8 used): the padding is 0xA5 junk that must not show up.
        var frame = TestFrames.Yuyv(4, 3, 12, seed: 7);
        var data = frame.Data.ToArray();
        var rgb = new byte[4 * 3 * 3];
        var gray = new byte[4 * 3];
        YuyvToRgb.ToRgb(data, 4, 3, 12, rgb);
        YuyvToRgb.ToGray(data, 4, 3, 12, gray);
        for (int row = 0; row < 3; row++)
            for (int x = 0; x < 4; x++)
            {
                int at = row * 12 + (x / 2) * 4;
                int y = data[at + (x % 2) * 2], u = data[at + 1], v = data[at + 3];
                var (r, g, b) = FloatBt601(y, u, v);
                int p = (row * 4 + x) * 3;
                Assert.InRange(rgb[p] - r, -1, 1);
                Assert.InRange(rgb[p + 1] - g, -1, 1);
                Assert.InRange(rgb[p + 2] - b, -1, 1);
                Assert.InRange(gray[row * 4 + x] - Math.Clamp((int)Math.Round((y - 16) * 255.0 / 219.0), 0, 255), -1, 1);
            }
    }

    [Fact]
    public void Bad_frames_are_refused_before_reading()
    {
        var rgb = new byte[4 * 2 * 3];
        Assert.Contains("needs 16 bytes, got 15", Assert.Throws<ArgumentException>(() => YuyvToRgb.ToRgb(new byte[15], 4, 2, 8, rgb)).Message);
        Assert.Contains("at least 8 bytes per line", Assert.Throws<ArgumentException>(() => YuyvToRgb.ToRgb(new byte[16], 4, 2, 6, rgb)).Message);
        Assert.Contains("even width", Assert.Throws<ArgumentException>(() => YuyvToRgb.ToRgb(new byte[16], 3, 2, 8, new byte[18])).Message);
        Assert.Contains("needs 24 bytes, got 12", Assert.Throws<ArgumentException>(() => YuyvToRgb.ToRgb(new byte[16], 4, 2, 8, new byte[12])).Message);
        Assert.Contains("needs 8 bytes, got 3", Assert.Throws<ArgumentException>(() => YuyvToRgb.ToGray(new byte[16], 4, 2, 8, new byte[3])).Message);
    }

    /// <summary>BT.601 limited range in double precision with the coefficients derived from Kr and Kb.</summary>
    private static (int R, int G, int B) FloatBt601(int y, int u, int v)
    {
        const double kr = 0.299, kb = 0.114, kg = 1 - kr - kb;
        double luma = (y - 16) * 255.0 / 219.0, cb = (u - 128) * 255.0 / 224.0, cr = (v - 128) * 255.0 / 224.0;
        double r = luma + 2 * (1 - kr) * cr;
        double b = luma + 2 * (1 - kb) * cb;
        double g = (luma - kr * r - kb * b) / kg;
        static int To8(double x) => Math.Clamp((int)Math.Round(x, MidpointRounding.AwayFromZero), 0, 255);
        return (To8(r), To8(g), To8(b));
    }
}
