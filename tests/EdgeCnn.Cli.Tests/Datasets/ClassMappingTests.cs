using EdgeCnn.Cli.Datasets;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Models;

namespace EdgeCnn.Cli.Tests.Datasets;

public sealed class ClassMappingTests
{
    private static ImageFolderDataset Folders(TempDirectory dir, params string[] names)
    {
        foreach (var name in names)
        {
            Directory.CreateDirectory(dir.File(name));
            File.WriteAllBytes(Path.Combine(dir.File(name), "x.png"), PngEncoder.EncodeRgb(1, 1, [0, 0, 0]));
        }
        return ImageFolderDataset.Open(dir.Path);
    }

    private static int[] Outputs(ClassMapping mapping, LabeledDataset set) =>
        Enumerable.Range(0, set.ClassNames.Count).Select(mapping.OutputOf).ToArray();

    [Fact]
    public void Numeric_folders_are_output_indices_when_they_fit()
    {
        using var dir = new TempDirectory();
        var set = Folders(dir, "7", "3", "10");
        var mapping = ClassMapping.Create(set, null, null, 11);
        Assert.Equal(["10", "3", "7"], set.ClassNames);
        Assert.Equal([10, 3, 7], Outputs(mapping, set));
        Assert.Equal("7", mapping.NameOf(7));
        Assert.Equal("0", mapping.NameOf(0));
    }

    [Fact]
    public void Numeric_folders_beyond_the_outputs_are_ranked_numerically()
    {
        using var dir = new TempDirectory();
        var set = Folders(dir, "180", "0", "90");
        var mapping = ClassMapping.Create(set, null, null, 3);
        // Ordinal order is 0, 180, 90; numeric rank gives 0 → 0, 90 → 1, 180 → 2.
        Assert.Equal([0, 2, 1], Outputs(mapping, set));
        Assert.Equal(["0", "90", "180"], Enumerable.Range(0, 3).Select(mapping.NameOf));
        Assert.Contains("rank", mapping.Rule);
    }

    [Fact]
    public void Named_folders_take_their_ordinal_position()
    {
        using var dir = new TempDirectory();
        var set = Folders(dir, "dog", "cat", "007");
        Assert.Equal([0, 1, 2], Outputs(ClassMapping.Create(set, null, null, 3), set)); // "007", "cat", "dog"
    }

    [Fact]
    public void A_labels_file_maps_folders_by_name()
    {
        using var dir = new TempDirectory();
        var set = Folders(dir, "cat", "dog");
        var mapping = ClassMapping.Create(set, ["plane", "dog", "cat", "dog"], "labels.txt", 4);
        Assert.Equal([2, 1], Outputs(mapping, set)); // the first "dog" line wins
        Assert.Equal("plane", mapping.NameOf(0));

        var missing = Assert.Throws<InputFileException>(() => ClassMapping.Create(set, ["cat"], "labels.txt", 4));
        Assert.Contains("'labels.txt'", missing.Message);
        Assert.Contains("dog", missing.Message);
    }

    [Fact]
    public void A_class_beyond_the_model_outputs_is_an_error_naming_the_folder()
    {
        using var dir = new TempDirectory();
        var set = Folders(dir, "a", "b", "c");
        var ex = Assert.Throws<InputFileException>(() => ClassMapping.Create(set, null, null, 2));
        Assert.Contains("'c'", ex.Message.Replace(Path.Combine(dir.Path, "c"), "'c'", StringComparison.Ordinal));
        Assert.Contains("2 outputs", ex.Message);
    }
}
