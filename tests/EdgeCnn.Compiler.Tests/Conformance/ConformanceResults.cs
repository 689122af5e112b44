using System.Collections.Concurrent;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>Collects node-test results from parallel test cases for the report written at the end of the run.</summary>
internal static class ConformanceResults
{
    private static readonly ConcurrentDictionary<string, NodeTestResult> Results = new(StringComparer.Ordinal);

    public static void Record(NodeTestResult result) => Results[result.Name] = result;

    /// <summary>Set when the suite ran without its data, so the report says so instead of going stale.</summary>
    public static string? MissingData { get; set; }

    public static IReadOnlyList<NodeTestResult> Snapshot() =>
        Results.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
}
