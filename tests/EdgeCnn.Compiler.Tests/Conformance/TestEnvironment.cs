namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>Where the test run is and what it may assume about test material.</summary>
internal static class TestEnvironment
{
    /// <summary>True on CI (env CI=true or 1), where missing test material is an error rather than a skip.</summary>
    public static bool IsCi
    {
        get
        {
            var ci = Environment.GetEnvironmentVariable("CI");
            return string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1";
        }
    }

    /// <summary>The repository root: the nearest directory above the test binaries holding EdgeCnn.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EdgeCnn.sln above '{AppContext.BaseDirectory}'; tests must run from a build inside the repository");
    }
}
