namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>The argument checks both resamplers make, with the same messages.</summary>
internal static class ResizeWindowChecks
{
    public static void Validate(int height, int width, int channels, long outHeight, long outWidth, long top, long left, int windowHeight, int windowWidth)
    {
        if (height <= 0 || width <= 0 || channels <= 0) throw new ArgumentException($"source size {height}x{width}x{channels} must be positive");
        if (windowHeight <= 0 || windowWidth <= 0) throw new ArgumentException($"window {windowHeight}x{windowWidth} must be positive");
        if (top < 0 || left < 0 || top + windowHeight > outHeight || left + windowWidth > outWidth)
            throw new ArgumentException($"window {windowHeight}x{windowWidth} at ({top},{left}) lies outside the resized {outHeight}x{outWidth} image");
    }

    public static void Source(ReadOnlySpan<byte> source, int height, int width, int channels)
    {
        if (source.Length < (long)height * width * channels)
            throw new ArgumentException($"source holds {source.Length} bytes, a {height}x{width}x{channels} image needs {(long)height * width * channels}");
    }
}
