namespace EdgeCnn.Cli.Tests.Support;

/// <summary>
/// Test material that lives outside the repository: PaddleOCR's ONNX models (env EDGECNN_OCR_MODELS, set by
/// scripts/test.sh; else the fetch script's cache .cache/test-data/ocr-models/package/assets) and the shared data
/// sets (env EDGECNN_SHARED_DATA; else a shared/data folder beside the repository or above it). Missing material
/// fails the test on CI (env CI) and skips it, loudly, elsewhere.
/// </summary>
internal static class TestMaterial
{
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci == "1" || ci.Equals("true", StringComparison.OrdinalIgnoreCase));

    public static string OcrModel(string fileName)
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGECNN_OCR_MODELS") is { Length: > 0 } configured) folders.Add(configured);
        folders.Add(Path.Combine(RepositoryPaths.Root, ".cache", "test-data", "ocr-models", "package", "assets"));
        foreach (var folder in folders)
            if (File.Exists(Path.Combine(folder, fileName))) return Path.Combine(folder, fileName);
        return Missing($"PaddleOCR model {fileName} not found in {string.Join(", ", folders)}; run scripts/fetch-test-data.sh or set EDGECNN_OCR_MODELS");
    }

    public static string SharedDataSet(string name)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGECNN_SHARED_DATA") is { Length: > 0 } configured)
        {
            candidates.Add(Path.Combine(configured, name));
            candidates.Add(Path.Combine(configured, "data", name));
        }
        for (var dir = new DirectoryInfo(RepositoryPaths.Root); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "shared", "data", name));
        foreach (var candidate in candidates)
            if (Directory.Exists(candidate)) return candidate;
        return Missing($"shared data set '{name}' not found (looked in {string.Join(", ", candidates)}); set EDGECNN_SHARED_DATA");
    }

    private static string Missing(string message)
    {
        if (IsCi) Assert.Fail(message);
        Assert.Skip(message);
        throw new InvalidOperationException(message);
    }
}
