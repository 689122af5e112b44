using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Compiler.Quantization.Sensitivity;

namespace EdgeCnn.Cli.Commands;

/// <summary>What <c>edgecnn quantize --analyze</c> found and prints: the ranking (worst first) and the suggested --keep-float list.</summary>
internal sealed record QuantizeAnalysisRun(LoadedModel Loaded, QuantizeRequest Request, RangeTable Table, int Files, int FilesFound,
    SensitivityReport Report, double CalibrationMs, double AnalysisMs, IReadOnlyList<string> Warnings)
{
    public void Write(CliContext context)
    {
        foreach (var w in Warnings) context.Error.WriteLine($"edgecnn: warning: {w}");
        ModelSummary.Write(context, Loaded);
        var r = Report;
        context.Out.WriteLine($"data     {Files} sample(s)" + (FilesFound > Files ? $" of {FilesFound} files, spread evenly" : "")
            + (Request.RangesPath is { } table ? $"; ranges {table}" : $"; method {Table.Method}"));
        context.Out.WriteLine($"analysed {r.Layers.Count} node(s) int8 one at a time, every other node float32"
            + (r.KeptFloat.Count > 0 ? $" (kept float throughout: {string.Join(",", r.KeptFloat)})" : ""));
        context.Out.WriteLine($"time     calibration {Units.Milliseconds(CalibrationMs)}, analysis {Units.Milliseconds(AnalysisMs)}");
        context.Out.WriteLine($"full     int8 model: {Describe(r.FullInt8)}");
        int nodeWidth = Math.Max(4, r.Layers.Select(l => l.Node.Length).DefaultIfEmpty(0).Max());
        int opWidth = Math.Max(2, r.Layers.Select(l => l.Op.Length).DefaultIfEmpty(0).Max());
        context.Out.WriteLine($"{"rank",4}  {"node".PadRight(nodeWidth)}  {"op".PadRight(opWidth)}  {"SQNR",9}  {"cosine",8}  {"top-1",7}");
        foreach (var l in r.Layers)
        {
            var q = l.Quality;
            context.Out.WriteLine($"{l.Rank,4}  {l.Node.PadRight(nodeWidth)}  {l.Op.PadRight(opWidth)}  {ReportHtml.Db(q.SqnrDb),9}  "
                + $"{F(q.MeanCosine, "0.00000"),8}  {(q.Top1Agreement is { } t ? F(100 * t, "0.0") + " %" : "-"),7}");
        }
        foreach (var s in r.Skipped) context.Out.WriteLine($"skipped  {s.Node} ({s.Op}): {s.Reason}");
        context.Out.WriteLine("suggest  " + Suggestion(r.Suggestion));
        if (Request.ReportFolder is { } folder) context.Out.WriteLine($"report   {Path.Combine(folder, "report.html")} (and report.json)");
    }

    public JsonObject ToJson()
    {
        var doc = ModelSummary.ToJson(Loaded);
        doc["ranges"] = Request.RangesPath;
        doc["method"] = Table.Method;
        doc["samples"] = Files;
        doc["filesFound"] = FilesFound;
        doc["weights"] = Request.PerTensor ? "per-tensor" : "per-channel";
        doc["calibrationMs"] = CalibrationMs;
        doc["analysisMs"] = AnalysisMs;
        doc["sensitivity"] = SensitivityJson.ToJson(Report);
        doc["reportFolder"] = Request.ReportFolder;
        doc["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode)w).ToArray());
        return doc;
    }

    private static string Suggestion(KeepFloatSuggestion s)
    {
        string target = $"target output SQNR {F(s.TargetSqnrDb, "0.#")} dB";
        var chosen = s.Steps.FirstOrDefault(step => step.KeepFloat.SequenceEqual(s.KeepFloat)) ?? s.Steps[0];
        if (s.KeepFloat.Count == 0)
            return s.Reached ? $"no --keep-float needed: the full int8 model reaches the {target}"
                : $"no --keep-float helps: none of the {s.Steps.Count - 1} worst nodes tried raised the output SQNR when kept float ({target})";
        return $"--keep-float {string.Join(",", s.KeepFloat)} ({Describe(chosen.Quality)}; {target} "
            + (s.Reached ? "reached)" : $"not reached: of the {s.Steps.Count - 1} worst nodes tried, these raised the output SQNR)");
    }

    private static string Describe(VariantQuality q) =>
        $"output SQNR {ReportHtml.Db(q.SqnrDb)}, cosine {F(q.MeanCosine, "0.00000")}"
        + (q.Top1Agreement is { } t ? $", top-1 agreement {F(100 * t, "0.0")} %" : "");

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
