using EdgeCnn.Compiler.Ir;
using StbImageSharp;

namespace EdgeCnn.Cli.IO;

/// <summary>Decodes PNG/JPEG/BMP images (StbImageSharp) into normalized NCHW float tensors.</summary>
public static class ImageTensor
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];

    public static bool IsImagePath(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    public static TensorData Load(string path, ImagePreprocessing preprocessing) =>
        FromEncoded(InputFileException.ReadAllBytes(path), path, preprocessing);

    public static TensorData FromEncoded(byte[] encoded, string source, ImagePreprocessing p)
    {
        p.Validate();
        var image = Decode(encoded, source, p.Channels == 1 ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
        var pixels = ResizeBilinear(image.Data, image.Height, image.Width, p.Channels, p.Height, p.Width);
        return TensorData.FromFloats(p.OutputShape, Normalize(pixels, p));
    }

    /// <summary>Decoded pixels, interleaved (HWC), 8 bits per channel.</summary>
    public static (byte[] Data, int Height, int Width) Decode(byte[] encoded, string source, ColorComponents components)
    {
        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(encoded, components);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // stb reports every malformed or unsupported file the same way, as a plain exception with a short reason.
            throw new InputFileException(source, $"cannot decode image: {ex.Message}", ex);
        }
        if (result?.Data is null || result.Width <= 0 || result.Height <= 0)
            throw new InputFileException(source, "cannot decode image");
        return (result.Data, result.Height, result.Width);
    }

    /// <summary>Bilinear resize with half-pixel centers (the convention of OpenCV's INTER_LINEAR and ONNX Resize
    /// half_pixel): source coordinate = (dst + 0.5)·in/out − 0.5, clamped to the image. Returns HWC floats in 0..255.</summary>
    public static float[] ResizeBilinear(byte[] src, int height, int width, int channels, int outHeight, int outWidth)
    {
        var dst = new float[checked(outHeight * outWidth * channels)];
        var (y0s, y1s, wys) = Taps(height, outHeight);
        var (x0s, x1s, wxs) = Taps(width, outWidth);
        for (int oy = 0; oy < outHeight; oy++)
        {
            int r0 = y0s[oy] * width, r1 = y1s[oy] * width;
            float wy = wys[oy];
            for (int ox = 0; ox < outWidth; ox++)
            {
                int c0 = x0s[ox], c1 = x1s[ox];
                float wx = wxs[ox];
                int o = (oy * outWidth + ox) * channels;
                for (int c = 0; c < channels; c++)
                {
                    float top = src[(r0 + c0) * channels + c] * (1 - wx) + src[(r0 + c1) * channels + c] * wx;
                    float bottom = src[(r1 + c0) * channels + c] * (1 - wx) + src[(r1 + c1) * channels + c] * wx;
                    dst[o + c] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return dst;
    }

    private static (int[] Lo, int[] Hi, float[] Weight) Taps(int inSize, int outSize)
    {
        var lo = new int[outSize];
        var hi = new int[outSize];
        var weight = new float[outSize];
        double scale = (double)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            double s = Math.Clamp((o + 0.5) * scale - 0.5, 0, inSize - 1);
            int i0 = (int)Math.Floor(s);
            lo[o] = i0;
            hi[o] = Math.Min(i0 + 1, inSize - 1);
            weight[o] = (float)(s - i0);
        }
        return (lo, hi, weight);
    }

    /// <summary>HWC 0..255 → NCHW (x/255 − mean)/std, swapping R and B when asked.</summary>
    private static float[] Normalize(float[] hwc, ImagePreprocessing p)
    {
        int c = p.Channels, plane = p.Height * p.Width;
        var chw = new float[hwc.Length];
        for (int oc = 0; oc < c; oc++)
        {
            int ic = p.Bgr && c == 3 ? 2 - oc : oc;
            float mean = p.MeanOf(oc), std = p.StdOf(oc);
            var dst = chw.AsSpan(oc * plane, plane);
            for (int i = 0; i < plane; i++)
                dst[i] = (hwc[i * c + ic] / 255f - mean) / std;
        }
        return chw;
    }
}
