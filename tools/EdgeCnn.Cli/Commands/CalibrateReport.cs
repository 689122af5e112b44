using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Calibration;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary>What <c>edgecnn calibrate</c> prints: the model, the data, and per tensor the observed and chosen range.</summary>
internal sealed record CalibrateReport(LoadedModel Loaded, RangeTable Table, IReadOnlyList<string> Files, int FilesFound,
    double CalibrationMs, string OutputPath)
{
    public void Write(CliContext context)
    {
        ModelSummary.Write(context, Loaded);
        context.Out.WriteLine($"data     {Files.Count} sample(s)" + (FilesFound > Files.Count ? $" of {FilesFound} files, spread evenly" : ""));
        context.Out.WriteLine($"method   {Table.Method}");
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("tensor");
        table.AddColumn(new TableColumn("observed min").RightAligned());
        table.AddColumn(new TableColumn("observed max").RightAligned());
        table.AddColumn(new TableColumn("min").RightAligned());
        table.AddColumn(new TableColumn("max").RightAligned());
        foreach (var e in Table.Entries)
            table.AddRow(new Text(e.Tensor), Number(e.ObservedMin), Number(e.ObservedMax), Number(e.Range.Min), Number(e.Range.Max));
        context.Console.Write(table);
        context.Out.WriteLine($"ranges   {Table.Entries.Count} tensors");
        context.Out.WriteLine($"time     {Units.Milliseconds(CalibrationMs)}");
        context.Out.WriteLine($"wrote    {OutputPath}");
    }

    public JsonObject ToJson()
    {
        var doc = ModelSummary.ToJson(Loaded);
        doc["modelSha256"] = Table.ModelSha256;
        doc["method"] = Table.Method;
        doc["samples"] = Table.Samples;
        doc["filesFound"] = FilesFound;
        doc["files"] = new JsonArray(Files.Select(f => (JsonNode)f).ToArray());
        doc["ranges"] = new JsonArray(Table.Entries.Select(e => (JsonNode)new JsonObject
        {
            ["tensor"] = e.Tensor,
            ["min"] = Exact(e.Range.Min),
            ["max"] = Exact(e.Range.Max),
            ["observedMin"] = Exact(e.ObservedMin),
            ["observedMax"] = Exact(e.ObservedMax),
        }).ToArray());
        doc["calibrationMs"] = CalibrationMs;
        doc["output"] = OutputPath;
        return doc;
    }

    private static Text Number(float value) => new(value.ToString("G6", CultureInfo.InvariantCulture));

    /// <summary>The float's shortest round-trip decimal (1.1f prints as 1.1, not 1.100000023841858), still parsing back to the same float.</summary>
    private static double Exact(float value) => double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
