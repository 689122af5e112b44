using System.Text.Json.Nodes;

namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>The sensitivity analysis as JSON (<c>--analyze --json</c> and the "sensitivity" part of report.json).
/// Infinite SQNRs (a variant whose outputs equal the float ones) are written as null.</summary>
public static class SensitivityJson
{
    public static JsonObject ToJson(SensitivityReport report) => new()
    {
        ["samples"] = report.Samples,
        ["keptFloat"] = Names(report.KeptFloat),
        ["fullInt8"] = Quality(report.FullInt8),
        ["layers"] = new JsonArray(report.Layers.Select(l => (JsonNode)Layer(l)).ToArray()),
        ["skipped"] = new JsonArray(report.Skipped.Select(s => (JsonNode)new JsonObject
        {
            ["node"] = s.Node,
            ["op"] = s.Op,
            ["reason"] = s.Reason,
        }).ToArray()),
        ["suggestion"] = new JsonObject
        {
            ["targetSqnrDb"] = report.Suggestion.TargetSqnrDb,
            ["maxNodes"] = report.Suggestion.MaxNodes,
            ["keepFloat"] = Names(report.Suggestion.KeepFloat),
            ["reached"] = report.Suggestion.Reached,
            ["steps"] = new JsonArray(report.Suggestion.Steps.Select(s =>
            {
                var step = Quality(s.Quality);
                step["keepFloat"] = Names(s.KeepFloat);
                return (JsonNode)step;
            }).ToArray()),
        },
    };

    private static JsonObject Layer(LayerSensitivity l) => WithQuality(new JsonObject
    {
        ["rank"] = l.Rank,
        ["node"] = l.Node,
        ["op"] = l.Op,
        ["role"] = l.Role.ToString(),
    }, l.Quality);

    private static JsonObject Quality(VariantQuality q) => WithQuality([], q);

    private static JsonObject WithQuality(JsonObject json, VariantQuality q)
    {
        json["sqnrDb"] = double.IsFinite(q.SqnrDb) ? q.SqnrDb : null;
        json["meanCosine"] = q.MeanCosine;
        json["minCosine"] = q.MinCosine;
        json["top1Agreement"] = q.Top1Agreement;
        json["maxAbsError"] = q.MaxAbsError;
        return json;
    }

    private static JsonArray Names(IEnumerable<string> names) => new(names.Select(n => (JsonNode)n).ToArray());
}
