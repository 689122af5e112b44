using EdgeCnn.Cli.IO;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.Datasets;

/// <summary>
/// DIR/&lt;class&gt;/…/&lt;image&gt;: each subfolder of DIR is a class named after it, and every image below it
/// (at any depth) belongs to that class. Hidden entries (names starting with '.') are skipped silently; other
/// non-image files, files directly in DIR and class folders without images are reported as warnings.
/// Samples are ordered round-robin over the classes (each class's files in ordinal path order), so a prefix
/// of any length covers every class.
/// </summary>
internal sealed class ImageFolderDataset : LabeledDataset
{
    private readonly string[] _classNames;
    private readonly List<(string Path, int Class)> _samples;

    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    private static readonly EnumerationOptions TopLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    private ImageFolderDataset(string source, string[] classNames, List<(string, int)> samples)
    {
        Source = source;
        _classNames = classNames;
        _samples = samples;
    }

    public override string Source { get; }
    public override string Kind => "folder";
    public override IReadOnlyList<string> ClassNames => _classNames;
    public override bool ClassesAreOutputIndices => false;
    public override int Count => _samples.Count;
    public override int ClassOf(int sample) => _samples[sample].Class;
    public override string NameOf(int sample) => _samples[sample].Path;
    public override PixelImage Load(int sample) => ImageTensor.Read(_samples[sample].Path);

    public static ImageFolderDataset Open(string directory)
    {
        if (!Directory.Exists(directory)) throw new InputFileException(directory, "directory not found");
        try
        {
            return Scan(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(directory, $"cannot read the image folder: {ex.Message}", ex);
        }
    }

    private static ImageFolderDataset Scan(string directory)
    {
        var classDirs = Directory.EnumerateDirectories(directory, "*", TopLevel)
            .Select(d => (Name: Path.GetFileName(d), Path: d))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();
        if (classDirs.Length == 0)
            throw new InputFileException(directory, "no class folders: expected one subfolder per class, each holding that class's images");

        var perClass = new List<string>[classDirs.Length];
        var stray = new List<string>();
        for (int c = 0; c < classDirs.Length; c++)
        {
            perClass[c] = new List<string>();
            foreach (var file in Directory.EnumerateFiles(classDirs[c].Path, "*", Recursive))
            {
                if (ImageTensor.IsImagePath(file)) perClass[c].Add(file);
                else stray.Add(file);
            }
            perClass[c].Sort(StringComparer.Ordinal);
        }

        var names = classDirs.Select(d => d.Name).ToArray();
        var samples = new List<(string, int)>();
        int longest = perClass.Max(p => p.Count);
        for (int i = 0; i < longest; i++)
            for (int c = 0; c < perClass.Length; c++)
                if (i < perClass[c].Count) samples.Add((perClass[c][i], c));
        if (samples.Count == 0)
            throw new InputFileException(directory, $"no images ({string.Join(", ", ImageTensor.Extensions)}) in its {classDirs.Length} class folder(s)");

        var dataset = new ImageFolderDataset(directory, names, samples);
        var loose = Directory.EnumerateFiles(directory, "*", TopLevel).Order(StringComparer.Ordinal).ToList();
        if (loose.Count > 0)
            dataset.Warn($"ignored {Files(loose.Count)} directly in '{directory}' (images belong in a class folder), e.g. '{loose[0]}'");
        if (stray.Count > 0)
        {
            stray.Sort(StringComparer.Ordinal);
            dataset.Warn($"ignored {Files(stray.Count)} without an image extension ({string.Join(", ", ImageTensor.Extensions)}), e.g. '{stray[0]}'");
        }
        for (int c = 0; c < classDirs.Length; c++)
            if (perClass[c].Count == 0)
                dataset.Warn($"class folder '{classDirs[c].Path}' has no images");
        return dataset;
    }

    private static string Files(int n) => n == 1 ? "1 file" : $"{n} files";
}
