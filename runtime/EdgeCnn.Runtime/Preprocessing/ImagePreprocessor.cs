namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>Turns a decoded image into an NCHW float tensor as an <see cref="ImagePreprocessing"/> describes.</summary>
public static class ImagePreprocessor
{
    public static float[] Run(PixelImage image, ImagePreprocessing p)
    {
        p.Validate();
        var tensor = new float[p.ElementCount];
        Run(image, p, tensor);
        return tensor;
    }

    /// <summary>Writes [1, C, H, W] into <paramref name="destination"/> (every element, padding included, so a
    /// reused buffer needs no clearing).</summary>
    public static void Run(PixelImage image, ImagePreprocessing p, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        p.Validate();
        if (destination.Length != p.ElementCount)
            throw new ArgumentException($"the destination holds {destination.Length} floats; [1,{p.Channels},{p.Height},{p.Width}] needs {p.ElementCount}");

        // Gray conversion comes first, as in OpenCV/PIL pipelines that convert the decoded image and then resize.
        bool toGray = image.Channels == 3 && (p.Channels == 1 || p.Grayscale);
        byte[] pixels = toGray ? Luma.FromRgb(image.Pixels) : image.Pixels;
        int channels = toGray ? 1 : image.Channels;

        var g = ResizeGeometry.For(image.Height, image.Width, p);
        byte[] window = p.Antialias
            ? AntialiasedResize.ResizeWindow(pixels, image.Height, image.Width, channels,
                g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth)
            : BilinearResize.ResizeWindow(pixels, image.Height, image.Width, channels,
                g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth);
        Normalize(window, channels, g.ContentHeight, g.ContentWidth, p, destination);
    }

    /// <summary>HWC bytes → NCHW (x/255 − mean)/std in float32, in the order numpy evaluates it; the tensor
    /// area outside the content is 0 (padding after normalization, as PaddleOCR's resize_norm_img does).</summary>
    private static void Normalize(byte[] hwc, int sourceChannels, int contentHeight, int contentWidth, ImagePreprocessing p, Span<float> nchw)
    {
        int plane = p.Height * p.Width;
        for (int oc = 0; oc < p.Channels; oc++)
        {
            int ic = sourceChannels == 1 ? 0 : p.Bgr ? 2 - oc : oc;
            float mean = p.MeanOf(oc), std = p.StdOf(oc);
            var dst = nchw.Slice(oc * plane, plane);
            dst.Clear();
            for (int y = 0; y < contentHeight; y++)
            {
                var row = dst.Slice(y * p.Width, contentWidth);
                int src = y * contentWidth * sourceChannels + ic;
                for (int x = 0; x < contentWidth; x++)
                    row[x] = Normalized(hwc[src + x * sourceChannels], mean, std);
            }
        }
    }

    /// <summary>One pixel byte as the model sees it: (x/255 − mean)/std in float32. The int8 path tabulates this same
    /// function, which is what makes its codes equal to quantizing this path's floats.</summary>
    internal static float Normalized(byte value, float mean, float std) => (value / 255f - mean) / std;
}
