namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>
/// PaddleOCR's input preprocessing, written from its inference scripts: NCHW float32 in BGR channel
/// order (PaddleOCR reads images with OpenCV, which yields BGR), bilinear resizing with half-pixel
/// centres as cv2.resize does.
/// </summary>
internal static class PaddlePreprocess
{
    /// <summary>Classifier/recognizer input: resize to <paramref name="height"/> keeping the aspect ratio
    /// (width ⌈h·ratio⌉, capped at <paramref name="width"/>), scale to (x/255 − 0.5)/0.5, zero-pad on the right.</summary>
    public static float[] TextLine(LabeledImage image, int height, int width)
    {
        double ratio = image.Width / (double)image.Height;
        int resizedWidth = Math.Clamp((int)Math.Ceiling(height * ratio), 1, width);
        var resized = ResizeBilinear(image.Rgb, image.Width, image.Height, resizedWidth, height);
        var tensor = new float[3 * height * width];
        for (int c = 0; c < 3; c++)
        {
            int source = 2 - c; // BGR
            for (int y = 0; y < height; y++)
                for (int x = 0; x < resizedWidth; x++)
                    tensor[(c * height + y) * width + x] = (resized[(y * resizedWidth + x) * 3 + source] / 255f - 0.5f) / 0.5f;
        }
        return tensor;
    }

    /// <summary>Detector input: text lines stacked top to bottom on a white page of
    /// <paramref name="size"/>×<paramref name="size"/> (each scaled to the page width when wider), then
    /// ImageNet mean/std normalization as PaddleOCR's NormalizeImage applies it to the BGR image.</summary>
    public static float[] Page(IReadOnlyList<LabeledImage> lines, int size)
    {
        var page = new byte[size * size * 3];
        Array.Fill(page, (byte)255);
        int top = 8;
        foreach (var line in lines)
        {
            int w = Math.Min(line.Width, size - 16);
            int h = Math.Max(1, (int)Math.Round(line.Height * (w / (double)line.Width)));
            if (top + h > size - 8) break;
            var scaled = ResizeBilinear(line.Rgb, line.Width, line.Height, w, h);
            for (int y = 0; y < h; y++)
                Array.Copy(scaled, y * w * 3, page, ((top + y) * size + 8) * 3, w * 3);
            top += h + 12;
        }

        float[] mean = [0.485f, 0.456f, 0.406f];
        float[] std = [0.229f, 0.224f, 0.225f];
        var tensor = new float[3 * size * size];
        for (int c = 0; c < 3; c++)
        {
            int source = 2 - c; // BGR
            for (int i = 0; i < size * size; i++)
                tensor[c * size * size + i] = (page[i * 3 + source] / 255f - mean[c]) / std[c];
        }
        return tensor;
    }

    /// <summary>Bilinear resize of interleaved RGB bytes (half-pixel centres, edge clamp), rounded back to bytes.</summary>
    public static byte[] ResizeBilinear(byte[] rgb, int width, int height, int newWidth, int newHeight)
    {
        var result = new byte[newWidth * newHeight * 3];
        double sx = width / (double)newWidth, sy = height / (double)newHeight;
        for (int y = 0; y < newHeight; y++)
        {
            double fy = Math.Max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.Min((int)fy, height - 1), y1 = Math.Min(y0 + 1, height - 1);
            double wy = fy - y0;
            for (int x = 0; x < newWidth; x++)
            {
                double fx = Math.Max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.Min((int)fx, width - 1), x1 = Math.Min(x0 + 1, width - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++)
                {
                    double top = rgb[(y0 * width + x0) * 3 + c] * (1 - wx) + rgb[(y0 * width + x1) * 3 + c] * wx;
                    double bottom = rgb[(y1 * width + x0) * 3 + c] * (1 - wx) + rgb[(y1 * width + x1) * 3 + c] * wx;
                    result[(y * newWidth + x) * 3 + c] = (byte)Math.Clamp(Math.Round(top * (1 - wy) + bottom * wy), 0, 255);
                }
            }
        }
        return result;
    }
}
