namespace EdgeCnn.Runtime.Preprocessing;

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
        var plan = new Plan(height, width, channels, outHeight, outWidth, top, left, windowHeight, windowWidth);
        var result = new byte[checked(windowHeight * windowWidth * channels)];
        var sink = new InterleavedPixelSink(result, windowWidth, channels);
        plan.Run(source, ref sink);
        return result;
    }

    /// <summary>The filters of one source size and window and the buffer between the two passes, made once: running
    /// it again on another image of the same size allocates nothing.</summary>
    public sealed class Plan
    {
        private readonly int _height, _width, _channels, _windowWidth;
        private readonly Filter _columns, _rows;
        private readonly byte[] _wide;

        public Plan(int height, int width, int channels, long outHeight, long outWidth, long top, long left, int windowHeight, int windowWidth)
        {
            ResizeWindowChecks.Validate(height, width, channels, outHeight, outWidth, top, left, windowHeight, windowWidth);
            (_height, _width, _channels, _windowWidth) = (height, width, channels, windowWidth);
            _columns = Filter.For(width, outWidth, left, windowWidth);
            _rows = Filter.For(height, outHeight, top, windowHeight);
            _wide = new byte[checked(height * windowWidth * channels)];
        }

        public void Run<TSink>(ReadOnlySpan<byte> source, ref TSink sink) where TSink : IResizedPixelSink, allows ref struct
        {
            ResizeWindowChecks.Source(source, _height, _width, _channels);
            int channels = _channels, windowWidth = _windowWidth;
            // Horizontal pass over every source row (the vertical filter may need any of them), window columns only.
            var wide = _wide;
            for (int y = 0; y < _height; y++)
            {
                var row = source.Slice(y * _width * channels, _width * channels);
                for (int x = 0; x < windowWidth; x++)
                {
                    int start = _columns.Start[x];
                    var weights = _columns.Weights[x];
                    for (int c = 0; c < channels; c++)
                    {
                        int sum = 1 << (PrecisionBits - 1);
                        for (int k = 0; k < weights.Length; k++) sum += weights[k] * row[(start + k) * channels + c];
                        wide[(y * windowWidth + x) * channels + c] = Clip8(sum);
                    }
                }
            }

            int stride = windowWidth * channels;
            for (int y = 0; y < _rows.Start.Length; y++)
            {
                int start = _rows.Start[y];
                var weights = _rows.Weights[y];
                for (int x = 0; x < windowWidth; x++)
                    for (int c = 0; c < channels; c++)
                    {
                        int i = x * channels + c;
                        int sum = 1 << (PrecisionBits - 1);
                        for (int k = 0; k < weights.Length; k++) sum += weights[k] * wide[(start + k) * stride + i];
                        sink.Write(y, x, c, Clip8(sum));
                    }
            }
        }
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
