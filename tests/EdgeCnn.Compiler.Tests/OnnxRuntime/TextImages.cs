using EdgeCnn.Compiler.Tests.Conformance;
using StbImageSharp;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>A decoded RGB image with its orientation label (0 = upright, 180 = upside down).</summary>
internal sealed record LabeledImage(string Path, int Label, int Width, int Height, byte[] Rgb)
{
    public override string ToString() => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(Path)) + "/" + System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Real text-line images: the labeled evaluation set shared/data/text-orientation-dev/{0,180}/*.png
/// (env EDGECNN_SHARED_DATA = the shared data directory, else found by walking up from the repository),
/// plus the four copies committed in tests/data/text/ so the tests never depend on shared/ alone.
/// </summary>
internal static class TextImages
{
    public const string EnvironmentVariable = "EDGECNN_SHARED_DATA";
    private const string SetName = "text-orientation-dev";

    /// <summary>The committed images (always present).</summary>
    public static IReadOnlyList<LabeledImage> Committed()
    {
        var dir = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "data", "text");
        var images = Directory.GetFiles(dir, "*.png").Order(StringComparer.Ordinal)
            .Select(f => Load(f, int.Parse(Path.GetFileName(f).Split('_')[0], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.True(images.Count >= 4, $"expected the committed text images in {dir}");
        return images;
    }

    /// <summary>The shared evaluation set, or null when it is not beside the clone.</summary>
    public static string? SharedSetDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            foreach (var candidate in new[] { Path.Combine(configured, SetName), Path.Combine(configured, "data", SetName) })
                if (Directory.Exists(candidate)) return candidate;
        }
        for (var dir = new DirectoryInfo(TestEnvironment.RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", SetName);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Every shared image, or (with a loud note on the console) only the committed ones.</summary>
    public static IReadOnlyList<LabeledImage> All()
    {
        var set = SharedSetDirectory();
        if (set is null)
        {
            Console.WriteLine($"NOTE: shared/data/{SetName} not found (set {EnvironmentVariable}); using only the committed images in tests/data/text");
            return Committed();
        }
        var images = new List<LabeledImage>();
        foreach (var label in new[] { 0, 180 })
        {
            var dir = Path.Combine(set, label.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var file in Directory.GetFiles(dir, "*.png").Order(StringComparer.Ordinal))
                images.Add(Load(file, label));
        }
        images.AddRange(Committed());
        return images;
    }

    public static LabeledImage Load(string path, int label)
    {
        var decoded = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlue);
        return new LabeledImage(path, label, decoded.Width, decoded.Height, decoded.Data);
    }
}
