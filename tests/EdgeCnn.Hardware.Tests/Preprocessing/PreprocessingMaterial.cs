namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>Images the preprocessing tests read: models/fashion-mnist/samples and this folder's Data/ in the checkout,
/// and the shared text-line set (env EDGECNN_SHARED_DATA, else a shared/data folder above the checkout). A missing
/// shared set fails the test on CI (env CI) and skips it, loudly, elsewhere.</summary>
internal static class PreprocessingMaterial
{
    public static string Root { get; } = FindRoot();

    public static string[] FashionMnistSamples() =>
        Directory.GetFiles(Path.Combine(Root, "models", "fashion-mnist", "samples"), "*.png").Order(StringComparer.Ordinal).ToArray();

    public static string DataFile(string name) => Path.Combine(Root, "tests", "EdgeCnn.Hardware.Tests", "Preprocessing", "Data", name);

    /// <summary>The first <paramref name="perFolder"/> images of each label folder of text-orientation-dev.</summary>
    public static string[] TextLines(int perFolder)
    {
        var set = SharedDataSet("text-orientation-dev");
        return Directory.GetDirectories(set).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).Take(perFolder))
            .ToArray();
    }

    private static string SharedDataSet(string name)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGECNN_SHARED_DATA") is { Length: > 0 } configured)
        {
            candidates.Add(Path.Combine(configured, name));
            candidates.Add(Path.Combine(configured, "data", name));
        }
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "shared", "data", name));
        foreach (var candidate in candidates)
            if (Directory.Exists(candidate)) return candidate;
        string message = $"shared data set '{name}' not found (looked in {string.Join(", ", candidates)}); set EDGECNN_SHARED_DATA";
        if (Environment.GetEnvironmentVariable("CI") is "1" or "true" or "True") Assert.Fail(message);
        Assert.Skip(message);
        return message;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EdgeCnn.sln above {AppContext.BaseDirectory}");
    }
}
