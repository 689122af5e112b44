using System.Globalization;
using EdgeCnn.Cli.IO;
using EdgeCnn.Compiler.Datasets;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.Datasets;

/// <summary>
/// An idx images file ([N, H, W] gray or [N, H, W, C] with C = 1 or 3) and its idx labels file ([N] class
/// numbers, which are the model output indices). Without an explicit labels file, the one beside the images
/// file is used: the images file's name with "images-idx3" replaced by "labels-idx1" (compressed or not).
/// </summary>
internal sealed class IdxDataset : LabeledDataset
{
    private readonly IdxFile _images;
    private readonly byte[] _labels;
    private readonly int[] _classOf;
    private readonly string[] _classNames;
    private readonly int _height, _width, _channels;

    private IdxDataset(string source, IdxFile images, byte[] labels)
    {
        Source = source;
        _images = images;
        _labels = labels;
        _height = images.Dims[1];
        _width = images.Dims[2];
        _channels = images.Dims.Length == 4 ? images.Dims[3] : 1;
        var present = labels.Distinct().Order().ToArray();
        _classNames = present.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
        var classOfLabel = new int[256];
        for (int i = 0; i < present.Length; i++) classOfLabel[present[i]] = i;
        _classOf = labels.Select(l => classOfLabel[l]).ToArray();
    }

    public override string Source { get; }
    public override string Kind => "idx";
    public override IReadOnlyList<string> ClassNames => _classNames;
    public override bool ClassesAreOutputIndices => true;
    public override int Count => _labels.Length;
    public override int ClassOf(int sample) => _classOf[sample];
    public override string NameOf(int sample) => $"{Source}[{sample}]";

    public override PixelImage Load(int sample)
    {
        int size = _height * _width * _channels;
        return new PixelImage(_height, _width, _channels, _images.Data.Slice(sample * size, size).ToArray());
    }

    /// <summary>The shared reader's errors become the CLI's input-file errors (exit code 1, one line naming the file).</summary>
    private static IdxFile ReadIdx(string path)
    {
        try
        {
            return IdxFile.Read(path);
        }
        catch (IdxFileException ex)
        {
            throw new InputFileException(ex.FilePath, ex.Detail, ex);
        }
    }

    public static IdxDataset Open(string imagesPath, string? labelsPath)
    {
        if (!File.Exists(imagesPath)) throw new InputFileException(imagesPath, "file not found");
        labelsPath ??= FindLabels(imagesPath);
        var images = ReadIdx(imagesPath);
        var labels = ReadIdx(labelsPath);

        var d = images.Dims;
        bool gray = d.Length == 3, color = d.Length == 4 && d[3] is 1 or 3;
        if (!gray && !color)
            throw new InputFileException(imagesPath, $"idx images must be [N,H,W] or [N,H,W,1|3]; this file is [{string.Join(',', d)}]");
        if (d[1] == 0 || d[2] == 0)
            throw new InputFileException(imagesPath, $"idx images of size {d[1]}x{d[2]} are empty");
        if ((long)d[1] * d[2] * (color ? d[3] : 1) > int.MaxValue / 2)
            throw new InputFileException(imagesPath, $"idx images of size {d[1]}x{d[2]} are too large");
        if (labels.Dims.Length != 1)
            throw new InputFileException(labelsPath, $"idx labels must be one-dimensional [N]; this file is [{string.Join(',', labels.Dims)}]");
        if (labels.Dims[0] != d[0])
            throw new InputFileException(labelsPath, $"holds {labels.Dims[0]} labels; the images file '{imagesPath}' holds {d[0]} images");
        if (d[0] == 0) throw new InputFileException(imagesPath, "holds no images");
        return new IdxDataset(imagesPath, images, labels.Data.ToArray());
    }

    /// <summary>The labels file that sits beside an images file by the MNIST naming convention.</summary>
    public static string FindLabels(string imagesPath)
    {
        string name = Path.GetFileName(imagesPath);
        int at = name.IndexOf("images-idx3", StringComparison.Ordinal);
        if (at < 0)
            throw new InputFileException(imagesPath, "cannot infer the labels file (the name has no 'images-idx3' to replace with 'labels-idx1'); give --idx-labels FILE");
        string stem = name[..at] + "labels-idx1" + name[(at + "images-idx3".Length)..];
        string folder = Path.GetDirectoryName(imagesPath) ?? "";
        string plain = stem.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? stem[..^3] : stem;
        string[] candidates = [Path.Combine(folder, stem), Path.Combine(folder, plain), Path.Combine(folder, plain + ".gz")];
        foreach (var candidate in candidates.Distinct())
            if (File.Exists(candidate)) return candidate;
        throw new InputFileException(imagesPath, $"no labels file beside it (looked for {string.Join(", ", candidates.Distinct().Select(c => $"'{c}'"))}); give --idx-labels FILE");
    }
}
