using System.IO.Compression;
using EdgeCnn.Cli.Datasets;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Datasets;

namespace EdgeCnn.Cli.Tests.Datasets;

public sealed class IdxFileTests
{
    /// <summary>An idx file of unsigned bytes, written from the format's definition.</summary>
    internal static byte[] Idx(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void Reads_dims_and_data_plain_or_gzipped()
    {
        byte[] data = [1, 2, 3, 4, 5, 6];
        foreach (var bytes in new[] { Idx([2, 1, 3], data), Gzip(Idx([2, 1, 3], data)) })
        {
            var idx = IdxFile.Parse(bytes, "x.idx");
            Assert.Equal([2, 1, 3], idx.Dims);
            Assert.Equal(data, idx.Data.ToArray());
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0 }, "magic")]
    [InlineData(new byte[] { 0, 0 }, "shorter than the 4-byte magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "element type 0x0D")]
    [InlineData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 }, "truncated idx header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 5, 1, 2 }, "truncated idx data")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 1, 2 }, "beyond")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 1 }, "truncated idx data")]
    public void Malformed_files_are_errors_naming_the_file_and_the_problem(byte[] bytes, string problem)
    {
        var ex = Assert.Throws<IdxFileException>(() => IdxFile.Parse(bytes, "data/t10k-images-idx3-ubyte"));
        Assert.Contains("'data/t10k-images-idx3-ubyte'", ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Corrupt_or_truncated_gzip_is_an_error_naming_the_file()
    {
        var gz = Gzip(Idx([64], Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray()));
        var corrupt = (byte[])gz.Clone();
        corrupt[2] = 7; // compression method: only 8 (deflate) exists
        var bad = Assert.Throws<IdxFileException>(() => IdxFile.Parse(corrupt, "labels.gz"));
        Assert.Contains("'labels.gz'", bad.Message);
        Assert.Contains("gzip", bad.Message);

        // A cut-off stream decompresses to fewer bytes than the header promises.
        var cut = Assert.Throws<IdxFileException>(() => IdxFile.Parse(gz.Take(gz.Length - 20).ToArray(), "labels.gz"));
        Assert.Contains("'labels.gz'", cut.Message);
        Assert.Contains("truncated", cut.Message);
    }

    [Fact]
    public void The_labels_file_is_found_beside_the_images_compressed_or_not()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), Gzip(Idx([2, 1, 2], [0, 1, 2, 3])));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), Idx([2], [7, 3]));
        Assert.Equal(dir.File("t10k-labels-idx1-ubyte"), IdxDataset.FindLabels(dir.File("t10k-images-idx3-ubyte.gz")));
        var set = IdxDataset.Open(dir.File("t10k-images-idx3-ubyte.gz"), null);
        Assert.Equal(["3", "7"], set.ClassNames);
        Assert.Equal([1, 0], new[] { set.ClassOf(0), set.ClassOf(1) });
        var second = set.Load(1);
        Assert.Equal((1, 2, 1), (second.Height, second.Width, second.Channels));
        Assert.Equal([2, 3], second.Pixels);
    }

    [Fact]
    public void Missing_or_mismatched_labels_are_errors_naming_the_files()
    {
        using var dir = new TempDirectory();
        string images = dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(images, Idx([3, 1, 1], [0, 1, 2]));
        var missing = Assert.Throws<InputFileException>(() => IdxDataset.Open(images, null));
        Assert.Contains("train-labels-idx1-ubyte", missing.Message);
        Assert.Contains("--idx-labels", missing.Message);

        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), Idx([2], [0, 1]));
        var count = Assert.Throws<InputFileException>(() => IdxDataset.Open(images, null));
        Assert.Contains("holds 2 labels", count.Message);

        File.WriteAllBytes(dir.File("other.idx"), Idx([3, 1, 1], [0, 1, 2]));
        Assert.Contains("cannot infer", Assert.Throws<InputFileException>(() => IdxDataset.Open(dir.File("other.idx"), null)).Message);

        File.WriteAllBytes(dir.File("flat"), Idx([3], [0, 1, 2]));
        Assert.Contains("[N,H,W]", Assert.Throws<InputFileException>(() => IdxDataset.Open(dir.File("flat"), images)).Message);
    }

    [Fact]
    public void Read_errors_name_the_file_and_reach_eval_as_input_file_errors()
    {
        using var dir = new TempDirectory();
        var none = Assert.Throws<IdxFileException>(() => IdxFile.Read(dir.File("none.idx")));
        Assert.Equal(dir.File("none.idx"), none.FilePath);
        Assert.Contains("file not found", none.Message);

        string images = dir.File("t10k-images-idx3-ubyte");
        File.WriteAllBytes(images, Idx([1, 1, 1], [0]));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), [0x89, 0x50, 0x4E, 0x47]);
        var ex = Assert.Throws<InputFileException>(() => IdxDataset.Open(images, null));
        Assert.Equal(dir.File("t10k-labels-idx1-ubyte"), ex.FilePath);
        Assert.Equal($"'{dir.File("t10k-labels-idx1-ubyte")}': not an idx file: the magic number starts with 0x89 0x50, not 0x00 0x00", ex.Message);
    }

    /// <summary>models/EdgeCnn.Models reads Fashion-MNIST through the same reader and checks the shapes it needs.</summary>
    [Fact]
    public void Fashion_mnist_reader_uses_the_shared_reader_and_checks_shapes()
    {
        using var dir = new TempDirectory();
        var pixels = Enumerable.Range(0, 2 * 28 * 28).Select(i => (byte)(i % 251)).ToArray();
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), Gzip(Idx([2, 28, 28], pixels)));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), Gzip(Idx([2], [9, 0])));
        var split = EdgeCnn.Models.FashionMnist.Test(dir.Path);
        Assert.Equal(2, split.Count);
        Assert.Equal([9, 0], split.Classes);
        Assert.Equal(pixels[(28 * 28)..], split.Image(1).ToArray());

        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), Gzip(Idx([2], [9, 10])));
        Assert.Contains("label 10 is not a class", Assert.Throws<InvalidDataException>(() => EdgeCnn.Models.FashionMnist.Test(dir.Path)).Message);
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), Gzip(Idx([3], [9, 0, 1])));
        Assert.Contains("holds 2 images", Assert.Throws<InvalidDataException>(() => EdgeCnn.Models.FashionMnist.Test(dir.Path)).Message);
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), Gzip(Idx([2, 14, 56], pixels)));
        Assert.Contains("expected [N,28,28]", Assert.Throws<InvalidDataException>(() => EdgeCnn.Models.FashionMnist.Test(dir.Path)).Message);
        File.Delete(dir.File("t10k-images-idx3-ubyte.gz"));
        Assert.Contains("file not found", Assert.Throws<IdxFileException>(() => EdgeCnn.Models.FashionMnist.Test(dir.Path)).Message);
    }

    [Fact]
    public void Reads_the_fashion_mnist_test_set_when_installed()
    {
        const string images = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
        if (!File.Exists(images)) Assert.Skip($"{images} is not installed (Debian package dataset-fashion-mnist)");
        var set = IdxDataset.Open(images, null);
        // The published test set: 10,000 images of 28×28, 1,000 per class.
        Assert.Equal(10_000, set.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), set.ClassNames);
        Assert.All(set.ClassCounts(), n => Assert.Equal(1000, n));
        var first = set.Load(0);
        Assert.Equal((28, 28, 1), (first.Height, first.Width, first.Channels));
    }
}
