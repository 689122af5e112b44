namespace EdgeCnn.Models;

/// <summary>Small synthetic 32×32 RGB pictures to feed the tiny test model (models/tiny-cnn/samples/).
/// Drawn with integer arithmetic only, so they are identical wherever they are generated.</summary>
public static class SampleImages
{
    public const int Size = 32;

    public static IReadOnlyList<(string Name, byte[] Png)> All() =>
    [
        ("gradient.png", Draw((x, y) => ((byte)(x * 8), (byte)(y * 8), (byte)128))),
        ("checkerboard.png", Draw((x, y) => ((x / 4 + y / 4) % 2 == 0 ? ((byte)230, (byte)200, (byte)40) : ((byte)20, (byte)40, (byte)120)))),
        ("disc.png", Draw((x, y) =>
        {
            int dx = 2 * x - 31, dy = 2 * y - 31;
            return dx * dx + dy * dy < 20 * 20 ? ((byte)220, (byte)30, (byte)30) : ((byte)70, (byte)160, (byte)90);
        })),
    ];

    private static byte[] Draw(Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var rgb = new byte[Size * Size * 3];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                var (r, g, b) = pixel(x, y);
                int o = (y * Size + x) * 3;
                rgb[o] = r;
                rgb[o + 1] = g;
                rgb[o + 2] = b;
            }
        return PngEncoder.EncodeRgb(Size, Size, rgb);
    }
}
