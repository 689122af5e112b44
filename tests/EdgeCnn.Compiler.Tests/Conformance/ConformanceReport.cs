using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// Writes test-results/conformance/report.md and report.json: totals, every in-scope node test with
/// its result and reason, and every out-of-scope test with the ops (or opset) that put it there.
/// With EDGECNN_WRITE_CONFORMANCE_DOC=1 a complete run also regenerates docs/conformance.md.
/// </summary>
internal static class ConformanceReport
{
    public const string WriteDocVariable = "EDGECNN_WRITE_CONFORMANCE_DOC";

    public static string OutputDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "test-results", "conformance");

    public static string DocPath => Path.Combine(TestEnvironment.RepositoryRoot, "docs", "conformance.md");

    /// <summary>Writes the report when this run executed any conformance case; returns the files written.</summary>
    public static IReadOnlyList<string> WriteIfAny()
    {
        var results = ConformanceResults.Snapshot();
        if (ConformanceResults.MissingData is { } missing)
        {
            Directory.CreateDirectory(OutputDirectory);
            var path = Path.Combine(OutputDirectory, "report.md");
            File.WriteAllText(path, $"# ONNX operator conformance\n\nNot run: {missing}\n");
            File.Delete(Path.Combine(OutputDirectory, "report.json"));
            return [path];
        }
        if (results.Count == 0) return [];
        var summary = Summarize(results);
        Directory.CreateDirectory(OutputDirectory);
        var md = Path.Combine(OutputDirectory, "report.md");
        var json = Path.Combine(OutputDirectory, "report.json");
        File.WriteAllText(md, Markdown(summary));
        File.WriteAllText(json, Json(summary));
        var written = new List<string> { md, json };
        if (Environment.GetEnvironmentVariable(WriteDocVariable) == "1")
        {
            // A filtered run would publish a partial table as if it were the project's status.
            if (summary.NotRun.Count > 0)
                throw new InvalidOperationException($"{WriteDocVariable}=1, but {summary.NotRun.Count} in-scope cases did not run; run the whole conformance suite to regenerate {DocPath}");
            File.WriteAllText(DocPath, Markdown(summary));
            written.Add(DocPath);
        }
        return written;
    }

    internal sealed record Summary(
        IReadOnlyList<NodeTestResult> Results,
        IReadOnlyList<NodeTest> NotRun,
        IReadOnlyList<NodeTest> OutOfScope,
        int Total)
    {
        public int Count(NodeTestStatus s) => Results.Count(r => r.Status == s);
    }

    internal static Summary Summarize(IReadOnlyList<NodeTestResult> results)
    {
        var ran = results.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return new Summary(
            results,
            NodeTestCatalog.InScope.Where(t => !ran.Contains(t.Name)).ToList(),
            NodeTestCatalog.OutOfScope.ToList(),
            NodeTestCatalog.Tests.Count);
    }

    internal static string Markdown(Summary s)
    {
        var inScope = s.Results.Count + s.NotRun.Count;
        var sb = new StringBuilder();
        sb.AppendLine("# ONNX operator conformance");
        sb.AppendLine();
        var version = OnnxTestData.PackageVersion;
        sb.AppendLine($"ONNX's node tests from the Debian package `libonnx-testdata`{(version is null ? "" : $" {version}")} (`data/node/`), run by");
        sb.AppendLine("`tests/EdgeCnn.Compiler.Tests/Conformance`: import → compile → run, straight from ONNX and again through");
        sb.AppendLine("an `.ecnn` write/read round trip, every output compared with the test's expected tensors");
        sb.AppendLine("(|a−b| ≤ atol + rtol·|b|, rtol 1e-4, atol 1e-5 unless a case names its tolerance; integer outputs exactly).");
        sb.AppendLine($"A test is in scope when every op of its graph is in the Foundation issue's operator list (plus `Constant`)");
        sb.AppendLine($"and its opset is {IssueOperators.MinOpset}–{IssueOperators.MaxOpset}; a test importing an older opset runs at opset {IssueOperators.MinOpset}");
        sb.AppendLine("when none of its ops changed in between (their definitions are then identical). Regenerate this page with");
        sb.AppendLine($"`{WriteDocVariable}=1 dotnet test tests/EdgeCnn.Compiler.Tests -c Release --filter FullyQualifiedName~OnnxNodeConformanceTests`;");
        sb.AppendLine("every run writes the same tables to `test-results/conformance/report.md` and `report.json`.");
        sb.AppendLine();
        sb.AppendLine("## Totals");
        sb.AppendLine();
        sb.AppendLine("| | tests |");
        sb.AppendLine("|---|---:|");
        sb.AppendLine(Inv($"| node tests in the data | {s.Total} |"));
        sb.AppendLine(Inv($"| in scope | {inScope} |"));
        sb.AppendLine(Inv($"| — passed | {s.Count(NodeTestStatus.Passed)} |"));
        sb.AppendLine(Inv($"| — failed | {s.Count(NodeTestStatus.Failed)} |"));
        sb.AppendLine(Inv($"| — skipped | {s.Count(NodeTestStatus.Skipped)} |"));
        if (s.NotRun.Count > 0) sb.AppendLine(Inv($"| — not run (filtered out of this run) | {s.NotRun.Count} |"));
        sb.AppendLine(Inv($"| out of scope | {s.OutOfScope.Count} |"));
        sb.AppendLine();

        var failingOps = s.Results.Where(r => r.Status == NodeTestStatus.Failed)
            .SelectMany(r => r.Ops.Where(op => op != "Constant"))
            .GroupBy(op => op).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (failingOps.Count > 0)
        {
            sb.AppendLine("Failed tests per op: " + string.Join(", ", failingOps.Select(g => Inv($"{g.Key} {g.Count()}"))) + ".");
            sb.AppendLine();
        }

        sb.AppendLine("## In scope");
        sb.AppendLine();
        sb.AppendLine("| test | ops | result | detail |");
        sb.AppendLine("|---|---|---|---|");
        var rows = s.Results.Select(r => (r.Name, r.Ops, Status: r.Status.ToString().ToLowerInvariant(), r.Detail))
            .Concat(s.NotRun.Select(t => (t.Name, t.Ops, Status: "not run", Detail: "")))
            .OrderBy(r => r.Name, StringComparer.Ordinal);
        foreach (var r in rows)
            sb.AppendLine($"| {r.Name} | {string.Join(", ", r.Ops)} | {r.Status} | {Cell(r.Detail)} |");
        sb.AppendLine();

        sb.AppendLine("## Out of scope");
        sb.AppendLine();
        sb.AppendLine("| test | why |");
        sb.AppendLine("|---|---|");
        foreach (var t in s.OutOfScope)
            sb.AppendLine($"| {t.Name} | {Cell(t.OutOfScopeReason ?? "")} |");
        return sb.ToString();
    }

    internal static string Json(Summary s)
    {
        var document = new
        {
            dataDirectory = OnnxTestData.NodeDirectory,
            packageVersion = OnnxTestData.PackageVersion,
            totals = new
            {
                nodeTests = s.Total,
                inScope = s.Results.Count + s.NotRun.Count,
                passed = s.Count(NodeTestStatus.Passed),
                failed = s.Count(NodeTestStatus.Failed),
                skipped = s.Count(NodeTestStatus.Skipped),
                notRun = s.NotRun.Count,
                outOfScope = s.OutOfScope.Count,
            },
            inScope = s.Results.Select(r => new { name = r.Name, ops = r.Ops, status = r.Status.ToString().ToLowerInvariant(), detail = r.Detail })
                .Concat(s.NotRun.Select(t => new { name = t.Name, ops = t.Ops, status = "not run", detail = "" }))
                .OrderBy(r => r.name, StringComparer.Ordinal),
            outOfScope = s.OutOfScope.Select(t => new { name = t.Name, ops = t.Ops, outOfScopeOps = t.OutOfScopeOps, reason = t.OutOfScopeReason }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Cell(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
