using EdgeCnn.Compiler.Datasets;

namespace EdgeCnn.Models;

/// <summary>
/// Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test images, 28×28 grayscale, 10
/// classes. Debian ships it as package dataset-fashion-mnist, gzipped IDX files in <see cref="DebianDirectory"/>,
/// read with the compiler's <see cref="IdxFile"/> (the reader <c>edgecnn eval</c> uses).
/// </summary>
public static class FashionMnist
{
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";
    public const int Height = 28;
    public const int Width = 28;
    public const int PixelsPerImage = Height * Width;

    /// <summary>Mean and standard deviation of the training pixels scaled to 0..1.</summary>
    public const float PixelMean = 0.2860f;
    public const float PixelStd = 0.3530f;

    /// <summary>The class names in label order, as the dataset's authors list them.</summary>
    public static readonly string[] Labels =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static Split Train(string directory = DebianDirectory) => Load(directory, "train");

    public static Split Test(string directory = DebianDirectory) => Load(directory, "t10k");

    /// <summary>One split: <see cref="Pixels"/> holds Count·28·28 bytes (row by row, 0 = background),
    /// <see cref="Classes"/> one label 0..9 per image.</summary>
    public sealed record Split(byte[] Pixels, byte[] Classes)
    {
        public int Count => Classes.Length;

        public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    private static Split Load(string directory, string prefix)
    {
        string imagesPath = Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz");
        string labelsPath = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz");
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.Dims is not [var count, Height, Width])
            throw new InvalidDataException($"{imagesPath}: images are [{string.Join(',', images.Dims)}], expected [N,{Height},{Width}]");
        if (labels.Dims is not [var labelCount])
            throw new InvalidDataException($"{labelsPath}: labels are [{string.Join(',', labels.Dims)}], expected one dimension [N]");
        if (count != labelCount)
            throw new InvalidDataException($"{imagesPath} holds {count} images but {labelsPath} {labelCount} labels");
        var classes = labels.Data.ToArray();
        foreach (var label in classes)
            if (label >= Labels.Length) throw new InvalidDataException($"{labelsPath}: label {label} is not a class 0..{Labels.Length - 1}");
        return new Split(images.Data.ToArray(), classes);
    }
}
