namespace EdgeCnn.Cli.Tests.Support;

internal static class RepositoryPaths
{
    /// <summary>The checkout the tests were built from (the folder holding EdgeCnn.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>models/tiny-cnn: the small synthetic (untrained) 3-channel test model and its 32×32 pictures.</summary>
    public static string TinyCnnDirectory => Path.Combine(Root, "models", "tiny-cnn");

    public static string TinyCnnOnnx => Path.Combine(TinyCnnDirectory, "tiny-cnn.onnx");

    /// <summary>A picture of models/tiny-cnn/samples.</summary>
    public static string Sample(string name) => Path.Combine(TinyCnnDirectory, "samples", name);

    /// <summary>models/fashion-mnist: the trained model the CLI embeds as its default.</summary>
    public static string FashionMnistDirectory => Path.Combine(Root, "models", "fashion-mnist");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EdgeCnn.sln above {AppContext.BaseDirectory}");
    }
}
