using EdgeCnn.Models;

namespace EdgeCnn.Trainer;

/// <summary>
/// Builds float batches (pixel/255, N×1×28×28) from the byte images. For training, each image gets a
/// random crop of the image zero-padded by <see cref="Padding"/> pixels on every side (a shift of up to
/// ±Padding, background filling in) and, with probability 1/2, a horizontal flip. The choices come from
/// a <see cref="SeededRandom"/>, so a seed fixes them on every machine.
/// </summary>
public static class Augmentation
{
    public const int Padding = 2;

    public static void Fill(FashionMnist.Split split, ReadOnlySpan<int> indices, Span<float> batch, SeededRandom? random)
    {
        const int h = FashionMnist.Height, w = FashionMnist.Width;
        for (int n = 0; n < indices.Length; n++)
        {
            var image = split.Image(indices[n]);
            var target = batch.Slice(n * FashionMnist.PixelsPerImage, FashionMnist.PixelsPerImage);
            if (random is null)
            {
                for (int i = 0; i < image.Length; i++) target[i] = image[i] / 255f;
                continue;
            }
            int dy = Shift(random), dx = Shift(random);
            bool flip = random.NextUInt64() >> 63 == 1;
            for (int y = 0; y < h; y++)
            {
                int sy = y + dy;
                for (int x = 0; x < w; x++)
                {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    target[y * w + x] = sy is >= 0 and < h && sx is >= 0 and < w ? image[sy * w + sx] / 255f : 0f;
                }
            }
        }
    }

    private static int Shift(SeededRandom random) => (int)(random.NextUInt64() % (2 * Padding + 1)) - Padding;
}
