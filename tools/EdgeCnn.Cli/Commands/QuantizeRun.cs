using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Report;

namespace EdgeCnn.Cli.Commands;

/// <summary>What <c>edgecnn quantize</c> did and prints: ranges, per-node decisions, sizes and, with --report, the agreement.</summary>
internal sealed record QuantizeRun(LoadedModel Loaded, QuantizeRequest Request, RangeTable Table, int Files, int FilesFound,
    QuantizationResult Result, long Fp32Bytes, long Int8Bytes, double CalibrationMs, double QuantizeMs,
    QuantizationReport? Quality, IReadOnlyList<string> Warnings)
{
    private const int WeakestLayersShown = 5;

    public double SizeRatio => Int8Bytes / (double)Fp32Bytes;

    /// <summary>The graph inputs --int8-input made Int8, with their params.</summary>
    private IEnumerable<Compiler.Ir.Value> Int8Inputs() =>
        Result.Graph.Inputs.Where(v => Result.Int8Inputs.Contains(v.Name, StringComparer.Ordinal));

    public void Write(CliContext context)
    {
        foreach (var w in Warnings) context.Error.WriteLine($"edgecnn: warning: {w}");
        ModelSummary.Write(context, Loaded);
        if (Request.RangesPath is { } table)
            context.Out.WriteLine($"ranges   {table} ({Table.Method}, {Table.Samples} samples, {Table.Entries.Count} tensors)");
        else
            context.Out.WriteLine($"data     {Files} sample(s)" + (FilesFound > Files ? $" of {FilesFound} files, spread evenly" : "") + $"; method {Table.Method}");
        context.Out.WriteLine($"weights  {(Request.PerTensor ? "per tensor" : "per output channel")}");
        if (Result.BiasCorrection is { } corrected)
            context.Out.WriteLine($"bias     corrected {corrected.Layers.Count} layer(s) in {corrected.Rounds} round(s) over {corrected.Samples} sample(s); "
                + $"largest shift {corrected.Layers.Select(l => l.MaxAbsShift).DefaultIfEmpty(0).Max():G3}");
        context.Out.WriteLine($"nodes    {Result.Int8NodeCount} int8, {Result.FloatNodeCount} float; {Result.QuantizeCount} Quantize, {Result.DequantizeCount} Dequantize");
        foreach (var n in Result.Nodes.Where(n => !n.Int8))
            context.Out.WriteLine($"float    {n.Name} ({n.OpType}): {n.Reason}");
        foreach (var input in Int8Inputs())
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"input    '{input.Name}' int8 (scale {input.Quant!.Scale:G6}, zero point {input.Quant.ZeroPoint}): feed it quantized codes"));
        context.Out.WriteLine($"size     {Units.Count(Fp32Bytes)} bytes fp32 -> {Units.Count(Int8Bytes)} bytes int8 ({Ratio(SizeRatio)}x)");
        context.Out.WriteLine($"time     calibration {Units.Milliseconds(CalibrationMs)}, quantization {Units.Milliseconds(QuantizeMs)}");
        context.Out.WriteLine($"wrote    {Request.OutputPath}");
        if (Quality is not { } q) return;
        foreach (var o in q.Outputs)
            context.Out.WriteLine($"output   '{o.Name}': cosine mean {o.MeanCosine:0.00000} (min {o.MinCosine:0.00000})"
                + (o.Top1Agreement is { } t ? $", top-1 agreement {100 * t:0.0} %" : "") + $" over {q.Samples} samples");
        var weakest = q.Layers.Where(l => !double.IsPositiveInfinity(l.SqnrDb)).OrderBy(l => l.SqnrDb).Take(WeakestLayersShown).ToList();
        if (weakest.Count > 0)
            context.Out.WriteLine("weakest  " + string.Join(", ", weakest.Select(l => $"{l.Node} {ReportHtml.Db(l.SqnrDb)}")));
        context.Out.WriteLine($"report   {Path.Combine(Request.ReportFolder!, "report.html")} (and report.json)");
    }

    public JsonObject ToJson()
    {
        var doc = ModelSummary.ToJson(Loaded);
        doc["output"] = Request.OutputPath;
        doc["ranges"] = Request.RangesPath;
        doc["method"] = Table.Method;
        doc["samples"] = Table.Samples;
        doc["filesFound"] = FilesFound;
        doc["weights"] = Request.PerTensor ? "per-tensor" : "per-channel";
        doc["keepFloat"] = new JsonArray(Request.KeepFloat.Select(k => (JsonNode)k).ToArray());
        doc["biasCorrection"] = Result.BiasCorrection is { } corrected
            ? new JsonObject
            {
                ["layers"] = corrected.Layers.Count,
                ["rounds"] = corrected.Rounds,
                ["samples"] = corrected.Samples,
                ["maxAbsShift"] = corrected.Layers.Select(l => l.MaxAbsShift).DefaultIfEmpty(0).Max(),
            }
            : null;
        doc["nodes"] = new JsonObject
        {
            ["int8"] = Result.Int8NodeCount,
            ["float"] = Result.FloatNodeCount,
            ["quantize"] = Result.QuantizeCount,
            ["dequantize"] = Result.DequantizeCount,
        };
        doc["floatNodes"] = new JsonArray(Result.Nodes.Where(n => !n.Int8).Select(n => (JsonNode)new JsonObject
        {
            ["node"] = n.Name,
            ["op"] = n.OpType,
            ["reason"] = n.Reason,
        }).ToArray());
        doc["int8Inputs"] = new JsonArray(Int8Inputs().Select(i => (JsonNode)new JsonObject
        {
            ["name"] = i.Name,
            ["scale"] = i.Quant!.Scale,
            ["zeroPoint"] = i.Quant.ZeroPoint,
        }).ToArray());
        doc["fp32Bytes"] = Fp32Bytes;
        doc["int8Bytes"] = Int8Bytes;
        doc["sizeRatio"] = SizeRatio;
        doc["calibrationMs"] = CalibrationMs;
        doc["quantizeMs"] = QuantizeMs;
        doc["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode)w).ToArray());
        if (Quality is { } q)
        {
            doc["report"] = ReportJson.ToJson(q);
            doc["reportFolder"] = Request.ReportFolder;
        }
        return doc;
    }

    private static string Ratio(double r) => r.ToString("0.000", CultureInfo.InvariantCulture);
}
