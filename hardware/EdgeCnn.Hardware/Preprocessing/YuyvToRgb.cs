namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Converts YUYV 4:2:2 frames (V4L2_PIX_FMT_YUYV: Y0 U Y1 V, two pixels sharing one U and one V) to RGB24 or to gray,
/// for ITU-R BT.601 limited range ("studio swing": Y in 16..235, U and V in 16..240 centred on 128), which is what
/// USB (UVC) webcams send. The exact conversion is
/// <code>
/// R = 255/219·(Y−16)                                   + 1.596027·(V−128)
/// G = 255/219·(Y−16) − 0.391762·(U−128) − 0.812968·(V−128)
/// B = 255/219·(Y−16) + 2.017232·(U−128)
/// </code>
/// (from Kr = 0.299, Kb = 0.114: 1.596027 = 255/112·(1−Kr), 2.017232 = 255/112·(1−Kb), 0.391762 = 255/112·Kb·(1−Kb)/Kg,
/// 0.812968 = 255/112·Kr·(1−Kr)/Kg with Kg = 1 − Kr − Kb), rounded half up and clamped to 0..255. It runs in integer
/// arithmetic with the coefficients scaled by 2^16 (76309, 104597, 25675, 53279, 132201): the products stay far below
/// 2^31, the result is the same on every ISA, and it is within one level of the exact formula. 8-bit coefficients
/// (the common 298/409/100/208/516) would drift by up to 0.2 of a level at the colour extremes; 16 bits cost nothing more.
/// </summary>
public static class YuyvToRgb
{
    private const int YScale = 76309;      // 255/219
    private const int VToRed = 104597;     // 1.596027
    private const int UToGreen = 25675;    // 0.391762
    private const int VToGreen = 53279;    // 0.812968
    private const int UToBlue = 132201;    // 2.017232
    private const int Half = 1 << 15;
    private const int Shift = 16;

    /// <summary>Writes <paramref name="height"/> rows of <paramref name="width"/> RGB pixels, tightly packed, into
    /// <paramref name="rgb"/> from a frame whose rows start every <paramref name="bytesPerLine"/> bytes (V4L2 may pad
    /// rows beyond 2·width).</summary>
    /// <exception cref="ArgumentException">An odd width, a row stride below 2·width, a frame shorter than
    /// bytesPerLine·height or a destination of the wrong size.</exception>
    public static void ToRgb(ReadOnlySpan<byte> yuyv, int width, int height, int bytesPerLine, Span<byte> rgb)
    {
        CheckFrame(yuyv.Length, width, height, bytesPerLine);
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"an RGB buffer for {width}x{height} needs {width * height * 3} bytes, got {rgb.Length}", nameof(rgb));
        for (int y = 0; y < height; y++)
        {
            var row = yuyv.Slice(y * bytesPerLine, width * 2);
            var output = rgb.Slice(y * width * 3, width * 3);
            for (int pair = 0, o = 0; pair < row.Length; pair += 4, o += 6)
            {
                int d = row[pair + 1] - 128, e = row[pair + 3] - 128;
                int red = VToRed * e + Half;
                int green = Half - UToGreen * d - VToGreen * e;
                int blue = UToBlue * d + Half;
                int luma0 = YScale * (row[pair] - 16), luma1 = YScale * (row[pair + 2] - 16);
                output[o] = Clamp((luma0 + red) >> Shift);
                output[o + 1] = Clamp((luma0 + green) >> Shift);
                output[o + 2] = Clamp((luma0 + blue) >> Shift);
                output[o + 3] = Clamp((luma1 + red) >> Shift);
                output[o + 4] = Clamp((luma1 + green) >> Shift);
                output[o + 5] = Clamp((luma1 + blue) >> Shift);
            }
        }
    }

    /// <summary>Writes the luma of each pixel, expanded from limited to full range (255/219·(Y−16), the value R, G
    /// and B all take for a neutral pixel, U = V = 128), into <paramref name="gray"/>, tightly packed. The chroma is
    /// never read: a gray model needs no RGB step, and BT.601's Y is the luma <see cref="EdgeCnn.Runtime.Preprocessing.Luma"/>
    /// would compute from the RGB.</summary>
    /// <exception cref="ArgumentException">As <see cref="ToRgb"/>.</exception>
    public static void ToGray(ReadOnlySpan<byte> yuyv, int width, int height, int bytesPerLine, Span<byte> gray)
    {
        CheckFrame(yuyv.Length, width, height, bytesPerLine);
        if (gray.Length != width * height)
            throw new ArgumentException($"a gray buffer for {width}x{height} needs {width * height} bytes, got {gray.Length}", nameof(gray));
        for (int y = 0; y < height; y++)
        {
            var row = yuyv.Slice(y * bytesPerLine, width * 2);
            var output = gray.Slice(y * width, width);
            for (int x = 0; x < output.Length; x++)
                output[x] = Clamp((YScale * (row[2 * x] - 16) + Half) >> Shift);
        }
    }

    private static void CheckFrame(int length, int width, int height, int bytesPerLine)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"YUYV frame size {width}x{height} must be positive");
        // Two pixels share one U and one V: V4L2 drivers only offer even widths for YUYV.
        if ((long)width * height * 3 > int.MaxValue) throw new ArgumentException($"YUYV frame size {width}x{height} is too large");
        if (width % 2 != 0) throw new ArgumentException($"a YUYV frame has an even width, not {width}");
        if (bytesPerLine < 2 * width)
            throw new ArgumentException($"YUYV rows of {width} pixels need at least {2 * width} bytes per line, the format says {bytesPerLine}");
        if ((long)bytesPerLine * height > length)
            throw new ArgumentException($"a {width}x{height} YUYV frame with {bytesPerLine} bytes per line needs {(long)bytesPerLine * height} bytes, got {length}");
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
