namespace EdgeCnn.Compiler.Preprocessing;

/// <summary>
/// Bilinear resampling of 8-bit interleaved pixels with half-pixel centers, the convention of OpenCV's
/// INTER_LINEAR and ONNX Resize (half_pixel): the source coordinate of output pixel o is (o + 0.5)·in/out − 0.5,
/// clamped to [0, in − 1]. No antialiasing filter on downscaling (as OpenCV). Results are rounded to the
/// nearest 8-bit level, as OpenCV and PIL return 8-bit images from 8-bit input.
/// </summary>
public static class BilinearResize
{
    /// <summary>Resizes the whole image to <paramref name="outHeight"/>×<paramref name="outWidth"/>.</summary>
    public static byte[] Resize(ReadOnlySpan<byte> source, int height, int width, int channels, int outHeight, int outWidth) =>
        ResizeWindow(source, height, width, channels, outHeight, outWidth, 0, 0, outHeight, outWidth);

    /// <summary>The <paramref name="windowHeight"/>×<paramref name="windowWidth"/> window at (<paramref name="top"/>,
    /// <paramref name="left"/>) of the image resized to <paramref name="outHeight"/>×<paramref name="outWidth"/>,
    /// computed without materializing the whole resized image.</summary>
    public static byte[] ResizeWindow(ReadOnlySpan<byte> source, int height, int width, int channels,
        long outHeight, long outWidth, long top, long left, int windowHeight, int windowWidth)
    {
        if (height <= 0 || width <= 0 || channels <= 0) throw new ArgumentException($"source size {height}x{width}x{channels} must be positive");
        if (source.Length < (long)height * width * channels) throw new ArgumentException($"source holds {source.Length} bytes, a {height}x{width}x{channels} image needs {(long)height * width * channels}");
        if (windowHeight <= 0 || windowWidth <= 0) throw new ArgumentException($"window {windowHeight}x{windowWidth} must be positive");
        if (top < 0 || left < 0 || top + windowHeight > outHeight || left + windowWidth > outWidth)
            throw new ArgumentException($"window {windowHeight}x{windowWidth} at ({top},{left}) lies outside the resized {outHeight}x{outWidth} image");

        var rows = Taps(height, outHeight, top, windowHeight);
        var cols = Taps(width, outWidth, left, windowWidth);
        var result = new byte[checked(windowHeight * windowWidth * channels)];
        for (int oy = 0; oy < windowHeight; oy++)
        {
            int r0 = rows.Low[oy] * width, r1 = rows.High[oy] * width;
            float wy = rows.Weight[oy];
            for (int ox = 0; ox < windowWidth; ox++)
            {
                int c0 = cols.Low[ox], c1 = cols.High[ox];
                float wx = cols.Weight[ox];
                int o = (oy * windowWidth + ox) * channels;
                for (int c = 0; c < channels; c++)
                {
                    float upper = source[(r0 + c0) * channels + c] * (1 - wx) + source[(r0 + c1) * channels + c] * wx;
                    float lower = source[(r1 + c0) * channels + c] * (1 - wx) + source[(r1 + c1) * channels + c] * wx;
                    float v = upper * (1 - wy) + lower * wy;
                    result[o + c] = (byte)Math.Clamp((int)(v + 0.5f), 0, 255);
                }
            }
        }
        return result;
    }

    private readonly record struct TapTable(int[] Low, int[] High, float[] Weight);

    private static TapTable Taps(int inSize, long outSize, long first, int count)
    {
        var low = new int[count];
        var high = new int[count];
        var weight = new float[count];
        double scale = (double)inSize / outSize;
        for (int i = 0; i < count; i++)
        {
            double s = Math.Clamp((first + i + 0.5) * scale - 0.5, 0, inSize - 1);
            int i0 = (int)Math.Floor(s);
            low[i] = i0;
            high[i] = Math.Min(i0 + 1, inSize - 1);
            weight[i] = (float)(s - i0);
        }
        return new TapTable(low, high, weight);
    }
}
