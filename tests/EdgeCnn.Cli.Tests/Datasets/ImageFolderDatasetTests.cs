using EdgeCnn.Cli.Datasets;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Models;

namespace EdgeCnn.Cli.Tests.Datasets;

public sealed class ImageFolderDatasetTests
{
    private static void Png(string path, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, PngEncoder.EncodeRgb(1, 1, [value, value, value]));
    }

    [Fact]
    public void Nested_images_belong_to_their_top_level_class_folder()
    {
        using var dir = new TempDirectory();
        Png(dir.File("cat/a.png"), 1);
        Png(dir.File("cat/deep/er/b.png"), 2);
        Png(dir.File("dog/c.PNG"), 3);
        var set = ImageFolderDataset.Open(dir.Path);
        Assert.Equal(["cat", "dog"], set.ClassNames);
        var samples = Enumerable.Range(0, set.Count).Select(i => (Path.GetRelativePath(dir.Path, set.NameOf(i)), set.ClassOf(i))).ToList();
        Assert.Equal(3, samples.Count);
        Assert.Contains((Path.Combine("cat", "deep", "er", "b.png"), 0), samples);
        Assert.Contains((Path.Combine("dog", "c.PNG"), 1), samples);
        Assert.Empty(set.Warnings);
        Assert.Equal(3, set.Load(samples.FindIndex(s => s.Item1.EndsWith("c.PNG", StringComparison.Ordinal))).Pixels[0]);
    }

    [Fact]
    public void Non_images_and_loose_files_are_ignored_with_warnings_and_hidden_ones_silently()
    {
        using var dir = new TempDirectory();
        Png(dir.File("a/1.png"), 1);
        File.WriteAllText(dir.File("a/notes.txt"), "not an image");
        File.WriteAllText(dir.File("a/.DS_Store"), "hidden");
        Png(dir.File(".thumbnails/x.png"), 9);
        Png(dir.File("loose.png"), 5);
        var set = ImageFolderDataset.Open(dir.Path);
        Assert.Equal(["a"], set.ClassNames);
        Assert.Equal(1, set.Count);
        Assert.Equal(2, set.Warnings.Count);
        Assert.Contains(set.Warnings, w => w.Contains("1 file without an image extension", StringComparison.Ordinal) && w.Contains("notes.txt", StringComparison.Ordinal));
        Assert.Contains(set.Warnings, w => w.Contains("loose.png", StringComparison.Ordinal));
        Assert.DoesNotContain(set.Warnings, w => w.Contains(".DS_Store", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_class_folder_is_a_class_without_samples_and_a_warning()
    {
        using var dir = new TempDirectory();
        Png(dir.File("full/1.png"), 1);
        Directory.CreateDirectory(dir.File("empty"));
        var set = ImageFolderDataset.Open(dir.Path);
        Assert.Equal(["empty", "full"], set.ClassNames);
        Assert.Equal([0, 1], set.ClassCounts());
        Assert.Contains(set.Warnings, w => w.Contains("empty", StringComparison.Ordinal) && w.Contains("no images", StringComparison.Ordinal));
    }

    [Fact]
    public void Samples_go_round_robin_over_the_classes_in_ordinal_order()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "b/2.png", "b/1.png", "b/3.png", "A/x.png", "a/y.png" }) Png(dir.File(name), 0);
        var set = ImageFolderDataset.Open(dir.Path);
        Assert.Equal(["A", "a", "b"], set.ClassNames); // ordinal: upper case first
        var order = Enumerable.Range(0, set.Count).Select(i => Path.GetRelativePath(dir.Path, set.NameOf(i)).Replace('\\', '/')).ToArray();
        Assert.Equal(["A/x.png", "a/y.png", "b/1.png", "b/2.png", "b/3.png"], order);
    }

    [Fact]
    public void Folders_without_classes_or_images_and_missing_folders_are_errors_naming_the_path()
    {
        using var dir = new TempDirectory();
        Png(dir.File("loose.png"), 0);
        var none = Assert.Throws<InputFileException>(() => ImageFolderDataset.Open(dir.Path));
        Assert.Contains(dir.Path, none.Message);
        Assert.Contains("no class folders", none.Message);

        Directory.CreateDirectory(dir.File("cls"));
        File.WriteAllText(dir.File("cls/readme.md"), "x");
        var empty = Assert.Throws<InputFileException>(() => ImageFolderDataset.Open(dir.Path));
        Assert.Contains("no images", empty.Message);

        var missing = Assert.Throws<InputFileException>(() => ImageFolderDataset.Open(dir.File("nope")));
        Assert.Contains(dir.File("nope"), missing.Message);
    }
}
