namespace EdgeCnn.Compiler.Preprocessing;

/// <summary>
/// Pillow's bilinear resampling (Image.resize with BILINEAR, and torchvision's Resize on PIL images): a triangle
/// filter whose support widens by the scale factor when shrinking, so every source pixel contributes (antialiasing);
/// on enlarging it equals half-pixel bilinear. Two separable passes, horizontal then vertical, each rounding to
/// 8 bits; weights are normalized per output pixel and applied in 22-bit fixed point, as Pillow does for 8-bit images.
/// </summary>
public static class AntialiasedResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static byte[] Resize(ReadOnlySpan<byte> source, int height, int width, int channels, int outHeight, int outWidth) =>
        ResizeWindow(source, height, width, channels, outHeight, outWidth, 0, 0, outHeight, outWidth);

    /// <summary>The <paramref name="windowHeight"/>×<paramref name="windowWidth"/> window at (<paramref name="top"/>,
    /// <paramref name="left"/>) of the image resized to <paramref name="outHeight"/>×<paramref name="outWidth"/>.</summary>
    public static byte[] ResizeWindow(ReadOnlySpan<byte> source, int height, int width, int channels,
        long outHeight, long outWidth, long top, long left, int windowHeight, int windowWidth)
    {
        if (height <= 0 || width <= 0 || channels <= 0) throw new ArgumentException($"source size {height}x{width}x{channels} must be positive");
        if (source.Length < (long)height * width * channels) throw new ArgumentException($"source holds {source.Length} bytes, a {height}x{width}x{channels} image needs {(long)height * width * channels}");
        if (windowHeight <= 0 || windowWidth <= 0) throw new ArgumentException($"window {windowHeight}x{windowWidth} must be positive");
        if (top < 0 || left < 0 || top + windowHeight > outHeight || left + windowWidth > outWidth)
            throw new ArgumentException($"window {windowHeight}x{windowWidth} at ({top},{left}) lies outside the resized {outHeight}x{outWidth} image");

        // Horizontal pass over every source row (the vertical filter may need any of them), window columns only.
        var columns = Filter.For(width, outWidth, left, windowWidth);
        var wide = new byte[checked(height * windowWidth * channels)];
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * width * channels, width * channels);
            for (int x = 0; x < windowWidth; x++)
            {
                int start = columns.Start[x];
                var weights = columns.Weights[x];
                for (int c = 0; c < channels; c++)
                {
                    int sum = 1 << (PrecisionBits - 1);
                    for (int k = 0; k < weights.Length; k++) sum += weights[k] * row[(start + k) * channels + c];
                    wide[(y * windowWidth + x) * channels + c] = Clip8(sum);
                }
            }
        }

        var rows = Filter.For(height, outHeight, top, windowHeight);
        var result = new byte[checked(windowHeight * windowWidth * channels)];
        int stride = windowWidth * channels;
        for (int y = 0; y < windowHeight; y++)
        {
            int start = rows.Start[y];
            var weights = rows.Weights[y];
            for (int i = 0; i < stride; i++)
            {
                int sum = 1 << (PrecisionBits - 1);
                for (int k = 0; k < weights.Length; k++) sum += weights[k] * wide[(start + k) * stride + i];
                result[y * stride + i] = Clip8(sum);
            }
        }
        return result;
    }

    private static byte Clip8(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    /// <summary>Per output pixel: the first source pixel and the fixed-point weights of the pixels from there on.</summary>
    private readonly record struct Filter(int[] Start, int[][] Weights)
    {
        public static Filter For(int inSize, long outSize, long first, int count)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterScale; // the triangle's radius is 1 source pixel, widened when shrinking
            var start = new int[count];
            var weights = new int[count][];
            var real = new double[(int)Math.Ceiling(support) * 2 + 1];
            for (int i = 0; i < count; i++)
            {
                double center = (first + i + 0.5) * scale;
                int lo = Math.Max((int)(center - support + 0.5), 0);
                int hi = Math.Min((int)(center + support + 0.5), inSize);
                int n = Math.Max(hi - lo, 1);
                if (n > real.Length) real = new double[n];
                double total = 0;
                for (int k = 0; k < n; k++)
                {
                    double t = Math.Abs((lo + k - center + 0.5) / filterScale);
                    real[k] = t < 1 ? 1 - t : 0;
                    total += real[k];
                }
                var fixedPoint = new int[n];
                for (int k = 0; k < n; k++)
                {
                    double w = total != 0 ? real[k] / total : 0;
                    fixedPoint[k] = (int)Math.Round(w * (1 << PrecisionBits), MidpointRounding.AwayFromZero);
                }
                start[i] = Math.Min(lo, inSize - 1);
                weights[i] = fixedPoint;
            }
            return new Filter(start, weights);
        }
    }
}
