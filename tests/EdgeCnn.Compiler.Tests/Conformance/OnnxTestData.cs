namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// Finds ONNX's node conformance data (Debian package <c>libonnx-testdata</c>, installed by
/// scripts/fetch-test-data.sh). Missing data fails the run in CI and skips it loudly elsewhere, so a
/// CI job can never pass by silently running zero conformance cases.
/// </summary>
internal static class OnnxTestData
{
    public const string EnvironmentVariable = "EDGECNN_ONNX_TESTDATA";
    public const string DefaultNodeDirectory = "/usr/share/libonnx-testdata/data/node";

    /// <summary>The node-test directory, or null when it is not there.</summary>
    public static string? NodeDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            var path = string.IsNullOrWhiteSpace(configured) ? DefaultNodeDirectory : configured;
            return Directory.Exists(path) ? path : null;
        }
    }

    public static string MissingMessage
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            var where = string.IsNullOrWhiteSpace(configured) ? DefaultNodeDirectory : configured;
            return $"ONNX conformance data not found at '{where}' (set {EnvironmentVariable} or run scripts/fetch-test-data.sh, " +
                   "which installs the Debian package libonnx-testdata)";
        }
    }

    /// <summary>The installed libonnx-testdata version from dpkg's database (e.g. "1.12.0-2"), or null.</summary>
    public static string? PackageVersion
    {
        get
        {
            const string status = "/var/lib/dpkg/status";
            if (!File.Exists(status)) return null;
            bool inPackage = false;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("Package: ", StringComparison.Ordinal)) inPackage = line == "Package: libonnx-testdata";
                else if (inPackage && line.StartsWith("Version: ", StringComparison.Ordinal)) return line["Version: ".Length..];
            }
            return null;
        }
    }

    /// <summary>Fails in CI (env CI=true), skips with the reason elsewhere.</summary>
    public static void FailOrSkipMissing(string message)
    {
        if (TestEnvironment.IsCi) Assert.Fail(message);
        Assert.Skip(message);
    }
}
