using System.CommandLine;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Analysis;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary><c>edgecnn inspect MODEL [--plan]</c>: per-op table (op, output shape, params, MACs, receptive field,
/// activation bytes) and totals, computed on the ops the runtime will execute; the planned arena next to its lower
/// bound, and with --plan the memory plan itself.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.OptionalModel("The model: .onnx (compiled in memory first) or .ecnn; the embedded default model when omitted");
        var inputShape = CommonOptions.InputShape();
        var noOptimize = CommonOptions.NoOptimize();
        var json = CommonOptions.Json();
        var plan = new Option<bool>("--plan")
        {
            Description = "Also print the memory plan: per arena tensor its size, first and last op, offset and the input it reuses in place",
        };
        var command = new Command("inspect", "Show each layer's output shape, params, MACs, receptive field and memory, and the totals")
        {
            model, inputShape, noOptimize, json, plan,
        };
        CommandAction.Set(command, context, verbose, parse =>
        {
            var shapes = OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []);
            string? path = parse.GetValue(model);
            var loaded = context.WithStatus("loading model", () => ModelLoader.Load(path, shapes, !parse.GetValue(noOptimize)));
            var stats = ModelAnalyzer.Analyze(loaded.Model);
            if (parse.GetValue(json)) context.WriteJson(ToJson(loaded, stats, parse.GetValue(plan)));
            else WriteText(context, loaded, stats, parse.GetValue(plan));
            return CommandAction.Success;
        });
        return command;
    }

    private static void WriteText(CliContext context, LoadedModel loaded, ModelStats stats, bool plan)
    {
        ModelSummary.Write(context, loaded);
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("#").RightAligned());
        table.AddColumn("op");
        table.AddColumn("name");
        table.AddColumn("output");
        table.AddColumn(new TableColumn("params").RightAligned());
        table.AddColumn(new TableColumn("MACs").RightAligned());
        table.AddColumn(new TableColumn("RF").RightAligned());
        table.AddColumn(new TableColumn("activations").RightAligned());
        foreach (var layer in stats.Layers)
        {
            table.AddRow(
                new Text(layer.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(layer.Op.ToString()),
                new Text(layer.Name),
                new Text(string.Join(' ', layer.OutputShapes.Select(Units.Shape))),
                new Text(layer.Params == 0 ? "" : Units.Count(layer.Params)),
                new Text(layer.Macs == 0 ? "" : Units.Count(layer.Macs)),
                new Text(layer.ReceptiveField.ToString()),
                new Text(Units.Bytes(layer.ActivationBytes)));
        }
        context.Console.Write(table);
        context.Out.WriteLine($"ops                 {stats.Layers.Count}");
        context.Out.WriteLine($"params              {Units.Count(stats.Params)} ({Units.Bytes(stats.WeightBytes)} of constants)");
        context.Out.WriteLine($"MACs                {Units.Count(stats.Macs)} ({Units.Short(stats.Macs)})");
        context.Out.WriteLine($"peak activations    {Units.Bytes(stats.PeakActivationBytes)} ({Units.Count(stats.PeakActivationBytes)} bytes, at op {stats.PeakStep})");
        InspectPlan.WriteSummary(context, loaded.Model, stats);
        if (plan) InspectPlan.WriteTable(context, loaded.Model, stats);
    }

    private static JsonObject ToJson(LoadedModel loaded, ModelStats stats, bool plan)
    {
        var json = ModelSummary.ToJson(loaded);
        json["layers"] = new JsonArray(stats.Layers.Select(l => (JsonNode)new JsonObject
        {
            ["index"] = l.Index,
            ["op"] = l.Op.ToString(),
            ["name"] = l.Name,
            ["outputShapes"] = new JsonArray(l.OutputShapes.Select(s => (JsonNode)ModelSummary.ShapeJson(s)).ToArray()),
            ["params"] = l.Params,
            ["macs"] = l.Macs,
            ["receptiveField"] = new JsonArray(l.ReceptiveField.Height, l.ReceptiveField.Width),
            ["activationBytes"] = l.ActivationBytes,
        }).ToArray());
        json["totals"] = new JsonObject
        {
            ["ops"] = stats.Layers.Count,
            ["params"] = stats.Params,
            ["weightBytes"] = stats.WeightBytes,
            ["macs"] = stats.Macs,
            ["peakActivationBytes"] = stats.PeakActivationBytes,
            ["peakStep"] = stats.PeakStep,
            ["plannedArenaBytes"] = stats.PlannedArenaBytes,
        };
        json["memoryPlan"] = InspectPlan.ToJson(loaded.Model, stats, plan);
        return json;
    }
}
