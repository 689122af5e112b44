using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Preprocessing;
using StbImageSharp;

namespace EdgeCnn.Cli.IO;

/// <summary>Decodes PNG/JPEG/BMP images (StbImageSharp) and preprocesses them into NCHW float tensors.</summary>
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
        var image = Decode(encoded, source);
        return TensorData.FromFloats(p.OutputShape, ImagePreprocessor.Run(image, p));
    }

    public static PixelImage Read(string path) => Decode(InputFileException.ReadAllBytes(path), path);

    /// <summary>The image's pixels: gray files stay one channel, color files become RGB; alpha is dropped
    /// (not blended), as OpenCV's imread does by default.</summary>
    public static PixelImage Decode(byte[] encoded, string source)
    {
        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(encoded, ColorComponents.Default);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // stb reports every malformed or unsupported file the same way, as a plain exception with a short reason.
            throw new InputFileException(source, $"cannot decode image: {ex.Message}", ex);
        }
        if (result?.Data is null || result.Width <= 0 || result.Height <= 0)
            throw new InputFileException(source, "cannot decode image");
        int stored = result.Comp switch
        {
            ColorComponents.Grey => 1,
            ColorComponents.GreyAlpha => 2,
            ColorComponents.RedGreenBlue => 3,
            ColorComponents.RedGreenBlueAlpha => 4,
            var other => throw new InputFileException(source, $"cannot decode image: unsupported pixel layout {other}"),
        };
        int kept = stored <= 2 ? 1 : 3;
        long pixels = (long)result.Width * result.Height;
        if (result.Data.LongLength != pixels * stored)
            throw new InputFileException(source, "cannot decode image: the decoder returned the wrong amount of pixel data");
        return new PixelImage(result.Height, result.Width, kept, stored == kept ? result.Data : DropAlpha(result.Data, pixels, stored, kept));
    }

    private static byte[] DropAlpha(byte[] data, long pixels, int stored, int kept)
    {
        var result = new byte[pixels * kept];
        for (long i = 0; i < pixels; i++)
            for (int c = 0; c < kept; c++)
                result[i * kept + c] = data[i * stored + c];
        return result;
    }
}
