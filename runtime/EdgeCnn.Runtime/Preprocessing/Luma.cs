namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>RGB to gray with the ITU-R BT.601 weights that OpenCV (COLOR_RGB2GRAY) and PIL (convert("L")) use:
/// Y = 0.299·R + 0.587·G + 0.114·B, rounded. Integer arithmetic keeps a gray pixel (R = G = B) exactly unchanged.</summary>
public static class Luma
{
    public static byte[] FromRgb(ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length % 3 != 0) throw new ArgumentException($"RGB data of {rgb.Length} bytes is not a whole number of pixels");
        var gray = new byte[rgb.Length / 3];
        FromRgb(rgb, gray);
        return gray;
    }

    /// <summary>Writes one gray byte per RGB pixel into <paramref name="gray"/> (a reused buffer).</summary>
    public static void FromRgb(ReadOnlySpan<byte> rgb, Span<byte> gray)
    {
        if (rgb.Length != gray.Length * 3)
            throw new ArgumentException($"RGB data of {rgb.Length} bytes does not fill a gray buffer of {gray.Length} pixels");
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)((299 * rgb[3 * i] + 587 * rgb[3 * i + 1] + 114 * rgb[3 * i + 2] + 500) / 1000);
    }
}
