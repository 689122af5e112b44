using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCnn.Compiler.Quantization.Report;

/// <summary>report.json: every number of the report, machine-readable. Infinite SQNRs (exact or all-zero
/// tensors) are written as null, which JSON can hold.</summary>
public static class ReportJson
{
    /// <param name="sensitivity">The per-node sensitivity ranking (<c>quantize --analyze</c>), written under "sensitivity".</param>
    public static JsonObject ToJson(QuantizationReport report, Sensitivity.SensitivityReport? sensitivity = null)
    {
        var settings = new JsonObject();
        foreach (var (key, value) in report.Settings) settings[key] = value;
        var json = new JsonObject
        {
            ["model"] = report.Model,
            ["samples"] = report.Samples,
            ["settings"] = settings,
            ["size"] = new JsonObject
            {
                ["fp32Bytes"] = report.Fp32Bytes,
                ["int8Bytes"] = report.Int8Bytes,
                ["ratio"] = report.SizeRatio,
            },
            ["nodes"] = new JsonObject
            {
                ["int8"] = report.Int8NodeCount,
                ["float"] = report.FloatNodeCount,
                ["quantize"] = report.QuantizeCount,
                ["dequantize"] = report.DequantizeCount,
            },
            ["outputs"] = new JsonArray(report.Outputs.Select(o => (JsonNode)new JsonObject
            {
                ["name"] = o.Name,
                ["meanCosine"] = o.MeanCosine,
                ["minCosine"] = o.MinCosine,
                ["top1Agreement"] = o.Top1Agreement,
                ["maxAbsError"] = o.MaxAbsError,
            }).ToArray()),
            ["layers"] = new JsonArray(report.Layers.Select(l => (JsonNode)new JsonObject
            {
                ["tensor"] = l.Tensor,
                ["floatTensor"] = l.FloatTensor,
                ["node"] = l.Node,
                ["op"] = l.Op,
                ["scale"] = l.Scale,
                ["zeroPoint"] = l.ZeroPoint,
                ["sqnrDb"] = Finite(l.SqnrDb),
                ["maxAbsError"] = l.MaxAbsError,
                ["elements"] = l.Elements,
            }).ToArray()),
            ["floatNodes"] = new JsonArray(report.Nodes.Where(n => !n.Int8).Select(n => (JsonNode)new JsonObject
            {
                ["node"] = n.Name,
                ["op"] = n.OpType,
                ["reason"] = n.Reason,
            }).ToArray()),
        };
        if (sensitivity is not null) json["sensitivity"] = Sensitivity.SensitivityJson.ToJson(sensitivity);
        return json;
    }

    public static string ToText(QuantizationReport report, Sensitivity.SensitivityReport? sensitivity = null) =>
        ToJson(report, sensitivity).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
