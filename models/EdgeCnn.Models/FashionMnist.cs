using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeCnn.Models;

/// <summary>
/// Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test images, 28×28 grayscale, 10
/// classes. Debian ships it as package dataset-fashion-mnist, gzipped IDX files in <see cref="DebianDirectory"/>.
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
        var (images, imageDims) = ReadIdx(imagesPath, 3);
        var (labels, labelDims) = ReadIdx(labelsPath, 1);
        if (imageDims[1] != Height || imageDims[2] != Width)
            throw new InvalidDataException($"{imagesPath}: images are {imageDims[1]}x{imageDims[2]}, expected {Height}x{Width}");
        if (imageDims[0] != labelDims[0])
            throw new InvalidDataException($"{imagesPath} holds {imageDims[0]} images but {labelsPath} {labelDims[0]} labels");
        foreach (var label in labels)
            if (label >= Labels.Length) throw new InvalidDataException($"{labelsPath}: label {label} is not a class 0..{Labels.Length - 1}");
        return new Split(images, labels);
    }

    /// <summary>Reads a gzipped IDX file of unsigned bytes: magic 0x0000_08_NN (NN = number of dims), the
    /// dims as big-endian int32, then the data.</summary>
    public static (byte[] Data, int[] Dims) ReadIdx(string path, int expectedRank)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> word = stackalloc byte[4];
        ReadExactly(gzip, word, path);
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(word);
        if (magic >> 8 != 0x08 || (magic & 0xFF) != expectedRank)
            throw new InvalidDataException($"{path}: IDX magic 0x{magic:X8}, expected unsigned bytes of rank {expectedRank} (0x{0x800 + expectedRank:X8})");
        var dims = new int[expectedRank];
        long count = 1;
        for (int i = 0; i < expectedRank; i++)
        {
            ReadExactly(gzip, word, path);
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[i] <= 0) throw new InvalidDataException($"{path}: dimension {i} is {dims[i]}");
            count *= dims[i];
        }
        if (count > Array.MaxLength) throw new InvalidDataException($"{path}: {count} elements do not fit in memory");
        var data = new byte[count];
        ReadExactly(gzip, data, path);
        return (data, dims);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{path}: the file ends before its header's element count", ex);
        }
    }
}
