using System.Globalization;
using System.Net;
using System.Text;
using EdgeCnn.Compiler.Quantization.Report;

namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>The sensitivity section of report.html: the suggestion, then the ranking as a table whose SQNR cells
/// carry the report's colour bands.</summary>
public static class SensitivityHtml
{
    public static void Append(StringBuilder html, SensitivityReport report)
    {
        var s = report.Suggestion;
        html.Append("<h2>Sensitivity: one node int8 at a time</h2>\n")
            .Append("<p>Each row is the model with only that node int8 (every other node float32), run over ")
            .Append(N(report.Samples)).Append(" samples and compared with the float model at its outputs; worst first. ")
            .Append("Full int8 model: output SQNR ").Append(E(ReportHtml.Db(report.FullInt8.SqnrDb)))
            .Append(", mean cosine ").Append(F(report.FullInt8.MeanCosine, "0.00000")).Append(Top1(report.FullInt8)).Append(".</p>\n");
        html.Append("<p>Suggested <code>--keep-float</code> (target output SQNR ").Append(F(s.TargetSqnrDb, "0.#")).Append(" dB, at most ")
            .Append(N(s.MaxNodes)).Append(" nodes tried): ");
        if (s.KeepFloat.Count == 0) html.Append(s.Reached ? "none, the full int8 model reaches the target" : "none, keeping the worst nodes float did not raise the output SQNR");
        else html.Append("<code>").Append(E(string.Join(",", s.KeepFloat))).Append("</code>")
            .Append(s.Reached ? " reaches the target" : " raises the output SQNR, without reaching the target");
        var chosen = s.Steps.FirstOrDefault(step => step.KeepFloat.SequenceEqual(s.KeepFloat)) ?? s.Steps[0];
        html.Append(" (output SQNR ").Append(E(ReportHtml.Db(chosen.Quality.SqnrDb))).Append(").</p>\n");

        html.Append("<table>\n<tr><th>rank</th><th>node</th><th>op</th><th>output SQNR</th><th>mean cosine</th><th>min cosine</th>")
            .Append("<th>top-1 agreement</th><th>max |error|</th></tr>\n");
        foreach (var l in report.Layers)
        {
            var q = l.Quality;
            html.Append("<tr><td class=\"n\">").Append(N(l.Rank)).Append("</td><td>").Append(E(l.Node)).Append("</td><td>").Append(E(l.Op))
                .Append("</td><td class=\"n ").Append(ReportHtml.Band(q.SqnrDb)).Append("\">").Append(E(ReportHtml.Db(q.SqnrDb)))
                .Append("</td><td class=\"n\">").Append(F(q.MeanCosine, "0.00000"))
                .Append("</td><td class=\"n\">").Append(F(q.MinCosine, "0.00000"))
                .Append("</td><td class=\"n\">").Append(q.Top1Agreement is { } t ? F(100 * t, "0.00") + " %" : "—")
                .Append("</td><td class=\"n\">").Append(F(q.MaxAbsError, "G4")).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
        if (report.Skipped.Count == 0) return;
        html.Append("<p>Not analysed alone:</p>\n<table>\n<tr><th>node</th><th>op</th><th>why</th></tr>\n");
        foreach (var n in report.Skipped)
            html.Append("<tr><td>").Append(E(n.Node)).Append("</td><td>").Append(E(n.Op)).Append("</td><td>").Append(E(n.Reason)).Append("</td></tr>\n");
        html.Append("</table>\n");
    }

    private static string Top1(VariantQuality q) => q.Top1Agreement is { } t ? $", top-1 agreement {F(100 * t, "0.00")} %" : "";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
