namespace EdgeCnn.Runtime.Preprocessing;

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
        var plan = new Plan(height, width, channels, outHeight, outWidth, top, left, windowHeight, windowWidth);
        var result = new byte[checked(windowHeight * windowWidth * channels)];
        var sink = new InterleavedPixelSink(result, windowWidth, channels);
        plan.Run(source, ref sink);
        return result;
    }

    /// <summary>The taps of one source size and window, computed once: running it again on another image of the
    /// same size allocates nothing.</summary>
    public sealed class Plan
    {
        private readonly int _height, _width, _channels;
        private readonly TapTable _rows, _cols;

        public Plan(int height, int width, int channels, long outHeight, long outWidth, long top, long left, int windowHeight, int windowWidth)
        {
            ResizeWindowChecks.Validate(height, width, channels, outHeight, outWidth, top, left, windowHeight, windowWidth);
            (_height, _width, _channels) = (height, width, channels);
            _rows = TapTable.For(height, outHeight, top, windowHeight);
            _cols = TapTable.For(width, outWidth, left, windowWidth);
        }

        public void Run<TSink>(ReadOnlySpan<byte> source, ref TSink sink) where TSink : IResizedPixelSink, allows ref struct
        {
            ResizeWindowChecks.Source(source, _height, _width, _channels);
            int width = _width, channels = _channels;
            for (int oy = 0; oy < _rows.Weight.Length; oy++)
            {
                int r0 = _rows.Low[oy] * width, r1 = _rows.High[oy] * width;
                float wy = _rows.Weight[oy];
                for (int ox = 0; ox < _cols.Weight.Length; ox++)
                {
                    int c0 = _cols.Low[ox], c1 = _cols.High[ox];
                    float wx = _cols.Weight[ox];
                    for (int c = 0; c < channels; c++)
                    {
                        float upper = source[(r0 + c0) * channels + c] * (1 - wx) + source[(r0 + c1) * channels + c] * wx;
                        float lower = source[(r1 + c0) * channels + c] * (1 - wx) + source[(r1 + c1) * channels + c] * wx;
                        float v = upper * (1 - wy) + lower * wy;
                        sink.Write(oy, ox, c, (byte)Math.Clamp((int)(v + 0.5f), 0, 255));
                    }
                }
            }
        }
    }

    private readonly record struct TapTable(int[] Low, int[] High, float[] Weight)
    {
        public static TapTable For(int inSize, long outSize, long first, int count)
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
}
