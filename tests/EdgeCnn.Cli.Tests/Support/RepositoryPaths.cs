namespace EdgeCnn.Cli.Tests.Support;

internal static class RepositoryPaths
{
    /// <summary>The checkout the tests were built from (the folder holding EdgeCnn.sln).</summary>
    public static string Root { get; } = FindRoot();

    public static string DefaultModelDirectory => Path.Combine(Root, "models", "default");

    public static string Sample(string name) => Path.Combine(DefaultModelDirectory, "samples", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EdgeCnn.sln above {AppContext.BaseDirectory}");
    }
}
