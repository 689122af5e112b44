using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeCnn.Compiler.Quantization.Report;

/// <summary>report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that any
/// browser opens: summary, output agreement, a bar chart of per-layer SQNR, the layer table and the nodes
/// that stayed float with the reason.</summary>
public static class ReportHtml
{
    /// <summary>Bars are drawn up to this SQNR; higher values (and exact tensors) fill the whole width.</summary>
    private const double ChartMaxDb = 60;
    private const int LabelWidth = 300, BarWidth = 460, ValueWidth = 70, RowHeight = 18;

    /// <summary>Colour bands: below 15 dB the layer loses most of its signal, 15–25 dB is worth a look.</summary>
    public static string Band(double sqnrDb) => sqnrDb < 15 ? "poor" : sqnrDb < 25 ? "fair" : "good";

    /// <param name="sensitivity">The per-node sensitivity ranking (<c>quantize --analyze</c>), shown as a section of its own.</param>
    public static string Render(QuantizationReport report, Sensitivity.SensitivityReport? sensitivity = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<title>Quantization report: ").Append(E(report.Model)).Append("</title>\n");
        html.Append("<style>\n")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}th{background:#f3f3f3}")
            .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}.poor{fill:#d9534f;color:#b52b27}")
            .Append(".fair{fill:#f0ad4e;color:#a86d00}.good{fill:#5cb85c;color:#2d7a2d}svg text{font-size:12px;font-family:monospace}\n")
            .Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>Quantization report</h1>\n");
        Summary(html, report);
        Outputs(html, report);
        html.Append("<h2>Per-layer SQNR</h2>\n<p>Signal-to-quantization-noise ratio of every int8 tensor against the float model's tensor, ")
            .Append("10·log10(Σx² / Σ(x − x̂)²) over all samples. Red below 15 dB, amber below 25 dB.</p>\n");
        Chart(html, report.Layers);
        Layers(html, report.Layers);
        FloatNodes(html, report);
        if (sensitivity is not null) Sensitivity.SensitivityHtml.Append(html, sensitivity);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, QuantizationReport r)
    {
        html.Append("<table>\n");
        Row(html, "model", E(r.Model));
        Row(html, "samples", N(r.Samples));
        Row(html, "model size", $"{N(r.Fp32Bytes)} bytes fp32 → {N(r.Int8Bytes)} bytes int8 ({r.SizeRatio.ToString("0.000", CultureInfo.InvariantCulture)}×)");
        Row(html, "nodes", $"{N(r.Int8NodeCount)} int8, {N(r.FloatNodeCount)} float; {N(r.QuantizeCount)} Quantize, {N(r.DequantizeCount)} Dequantize");
        foreach (var (key, value) in r.Settings) Row(html, E(key), E(value));
        html.Append("</table>\n");
    }

    private static void Outputs(StringBuilder html, QuantizationReport r)
    {
        html.Append("<h2>Outputs</h2>\n<table>\n<tr><th>output</th><th>mean cosine</th><th>min cosine</th><th>top-1 agreement</th><th>max |error|</th></tr>\n");
        foreach (var o in r.Outputs)
            html.Append("<tr><td>").Append(E(o.Name)).Append("</td><td class=\"n\">").Append(F(o.MeanCosine, "0.00000"))
                .Append("</td><td class=\"n\">").Append(F(o.MinCosine, "0.00000"))
                .Append("</td><td class=\"n\">").Append(o.Top1Agreement is { } t ? F(100 * t, "0.00") + " %" : "—")
                .Append("</td><td class=\"n\">").Append(F(o.MaxAbsError, "G4")).Append("</td></tr>\n");
        html.Append("</table>\n");
    }

    private static void Chart(StringBuilder html, IReadOnlyList<LayerQuality> layers)
    {
        int width = LabelWidth + BarWidth + ValueWidth, height = Math.Max(1, layers.Count) * RowHeight + 24;
        html.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"per-layer SQNR bar chart\">\n"));
        for (int db = 0; db <= ChartMaxDb; db += 10)
        {
            double x = LabelWidth + BarWidth * db / ChartMaxDb;
            html.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"{height - 20}\" stroke=\"#ddd\"/>"))
                .Append(Invariant($"<text x=\"{x:0.#}\" y=\"{height - 6}\" text-anchor=\"middle\">{db} dB</text>\n"));
        }
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            int y = i * RowHeight;
            double shown = double.IsNaN(l.SqnrDb) ? 0 : Math.Clamp(l.SqnrDb, 0, ChartMaxDb);
            double bar = BarWidth * shown / ChartMaxDb;
            string label = l.Node.Length > 40 ? l.Node[..39] + "…" : l.Node;
            html.Append(Invariant($"<g><title>{E(l.Node)} ({E(l.Op)}) → {E(l.Tensor)}: {E(Db(l.SqnrDb))}</title>"))
                .Append(Invariant($"<text x=\"{LabelWidth - 6}\" y=\"{y + 13}\" text-anchor=\"end\">{E(label)}</text>"))
                .Append(Invariant($"<rect class=\"{Band(l.SqnrDb)}\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{bar:0.#}\" height=\"{RowHeight - 5}\"/>"))
                .Append(Invariant($"<text x=\"{LabelWidth + bar + 4:0.#}\" y=\"{y + 13}\">{E(Db(l.SqnrDb))}</text></g>\n"));
        }
        html.Append("</svg>\n");
    }

    private static void Layers(StringBuilder html, IReadOnlyList<LayerQuality> layers)
    {
        html.Append("<table>\n<tr><th>#</th><th>node</th><th>op</th><th>int8 tensor</th><th>scale</th><th>zero point</th><th>SQNR</th><th>max |error|</th></tr>\n");
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            html.Append("<tr><td class=\"n\">").Append(i).Append("</td><td>").Append(E(l.Node)).Append("</td><td>").Append(E(l.Op))
                .Append("</td><td>").Append(E(l.Tensor)).Append("</td><td class=\"n\">").Append(F(l.Scale, "G6"))
                .Append("</td><td class=\"n\">").Append(l.ZeroPoint.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td class=\"n ").Append(Band(l.SqnrDb)).Append("\">").Append(E(Db(l.SqnrDb)))
                .Append("</td><td class=\"n\">").Append(F(l.MaxAbsError, "G4")).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void FloatNodes(StringBuilder html, QuantizationReport r)
    {
        var kept = r.Nodes.Where(n => !n.Int8).ToList();
        html.Append("<h2>Nodes that stay float32</h2>\n");
        if (kept.Count == 0)
        {
            html.Append("<p>None: every node runs int8.</p>\n");
            return;
        }
        html.Append("<table>\n<tr><th>node</th><th>op</th><th>why</th></tr>\n");
        foreach (var n in kept)
            html.Append("<tr><td>").Append(E(n.Name)).Append("</td><td>").Append(E(n.OpType)).Append("</td><td>").Append(E(n.Reason)).Append("</td></tr>\n");
        html.Append("</table>\n");
    }

    public static string Db(double sqnr) =>
        double.IsPositiveInfinity(sqnr) ? "exact" : double.IsNegativeInfinity(sqnr) ? "−∞ dB" : F(sqnr, "0.0") + " dB";

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append("<tr><th>").Append(key).Append("</th><td>").Append(value).Append("</td></tr>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
