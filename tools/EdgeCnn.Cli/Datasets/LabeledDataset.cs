using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.Datasets;

/// <summary>Images with a class each, read one at a time. Classes are the data set's own: folder names, or the
/// numbers of an idx labels file; <see cref="ClassMapping"/> ties them to model outputs.</summary>
internal abstract class LabeledDataset
{
    /// <summary>The path given on the command line.</summary>
    public abstract string Source { get; }

    /// <summary>"folder" or "idx".</summary>
    public abstract string Kind { get; }

    /// <summary>The data set's classes in their natural order; <see cref="ClassOf"/> indexes this list.</summary>
    public abstract IReadOnlyList<string> ClassNames { get; }

    /// <summary>True when class names are the model output indices themselves (idx labels).</summary>
    public abstract bool ClassesAreOutputIndices { get; }

    public abstract int Count { get; }

    public abstract int ClassOf(int sample);

    /// <summary>Where a sample comes from, for messages: a file path, or "file[i]".</summary>
    public abstract string NameOf(int sample);

    public abstract PixelImage Load(int sample);

    /// <summary>Things skipped while reading (stray files, empty class folders).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    private readonly List<string> _warnings = new();

    protected void Warn(string message) => _warnings.Add(message);

    /// <summary>Samples per class (index = class).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        for (int i = 0; i < Count; i++) counts[ClassOf(i)]++;
        return counts;
    }
}
