using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Output;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Commands;

/// <summary>What <c>edgecnn run</c> says about one graph output: top-K classes when the output is one row of
/// scores (every dim but the last is 1), otherwise value statistics.</summary>
internal sealed class OutputReport
{
    private OutputReport(TensorInfo info, float[] data, (int Index, float Score)[]? top, string[] labels)
    {
        Info = info;
        Data = data;
        Top = top;
        Labels = labels;
        Min = data.Length == 0 ? 0 : data.Min();
        Max = data.Length == 0 ? 0 : data.Max();
        Mean = data.Length == 0 ? 0 : data.Average(v => (double)v);
    }

    public TensorInfo Info { get; }
    public float[] Data { get; }
    public (int Index, float Score)[]? Top { get; }
    public string[] Labels { get; }
    public float Min { get; }
    public float Max { get; }
    public double Mean { get; }

    public static OutputReport Create(TensorInfo info, float[] data, int k, string[] labels)
    {
        bool oneRow = info.Shape.Length > 0 && info.Shape[..^1].All(d => d == 1);
        return new OutputReport(info, data, oneRow ? TopK.Select(data, k) : null, labels);
    }

    private string? LabelOf(int index) => index < Labels.Length ? Labels[index] : null;

    public void Write(TextWriter output)
    {
        output.WriteLine($"output '{Info.Name}' {Units.Shape(Info.Shape)}");
        if (Top is null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  min {Min:G6}  max {Max:G6}  mean {Mean:G6}"));
            return;
        }
        int rank = 1;
        foreach (var (index, score) in Top)
        {
            string label = LabelOf(index) is { } l ? $"  {l}" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rank++,2}. class {index,-4} {score,10:F6}{label}"));
        }
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Info.Name,
            ["shape"] = ModelSummary.ShapeJson(Info.Shape),
            ["min"] = Min,
            ["max"] = Max,
            ["mean"] = Mean,
        };
        if (Top is not null)
        {
            json["top"] = new JsonArray(Top.Select(t =>
            {
                var entry = new JsonObject { ["index"] = t.Index, ["score"] = t.Score };
                if (LabelOf(t.Index) is { } label) entry["label"] = label;
                return (JsonNode)entry;
            }).ToArray());
        }
        return json;
    }
}
