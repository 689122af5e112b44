using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Analysis;
using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary>The memory plan part of <c>edgecnn inspect</c>: where it came from, and with <c>--plan</c> one row per
/// arena tensor (size, first and last op, offset, and the tensor whose buffer it reuses in place).</summary>
internal static class InspectPlan
{
    public static string Source(CompiledModel model, MemoryPlan plan) =>
        ReferenceEquals(model.Plan, plan) ? "stored in the model file" : "planned at load";

    public static void WriteSummary(CliContext context, CompiledModel model, ModelStats stats)
    {
        var plan = stats.Plan!;
        double ratio = stats.PeakActivationBytes == 0 ? 1 : stats.PlannedArenaBytes / (double)stats.PeakActivationBytes;
        context.Out.WriteLine($"planned arena       {Units.Bytes(stats.PlannedArenaBytes)} ({Units.Count(stats.PlannedArenaBytes)} bytes; lower bound " +
            $"{Units.Count(stats.PeakActivationBytes)} bytes, {ratio.ToString("F3", CultureInfo.InvariantCulture)}x; {plan.PlannerName}, {Source(model, plan)})");
    }

    public static void WriteTable(CliContext context, CompiledModel model, ModelStats stats)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("tensor").RightAligned());
        table.AddColumn("name");
        table.AddColumn(new TableColumn("bytes").RightAligned());
        table.AddColumn(new TableColumn("first op").RightAligned());
        table.AddColumn(new TableColumn("last op").RightAligned());
        table.AddColumn(new TableColumn("offset").RightAligned());
        table.AddColumn("in place of");
        foreach (var row in Rows(model, stats))
            table.AddRow(
                new Text(row.Tensor.ToString(CultureInfo.InvariantCulture)),
                new Text(row.Name),
                new Text(Units.Count(row.Bytes)),
                new Text(row.FirstOp.ToString(CultureInfo.InvariantCulture)),
                new Text(row.LastOp.ToString(CultureInfo.InvariantCulture)),
                new Text(Units.Count(row.Offset)),
                new Text(row.InPlaceOf ?? ""));
        context.Console.Write(table);
    }

    public static JsonObject ToJson(CompiledModel model, ModelStats stats, bool withTensors)
    {
        var plan = stats.Plan!;
        var json = new JsonObject
        {
            ["planner"] = plan.PlannerName,
            ["source"] = ReferenceEquals(model.Plan, plan) ? "file" : "load",
            ["alignment"] = plan.Alignment,
            ["arenaBytes"] = plan.ArenaSize,
            ["lowerBoundBytes"] = stats.PeakActivationBytes,
        };
        if (withTensors)
            json["tensors"] = new JsonArray(Rows(model, stats).Select(r => (JsonNode)new JsonObject
            {
                ["tensor"] = r.Tensor,
                ["name"] = r.Name,
                ["bytes"] = r.Bytes,
                ["firstOp"] = r.FirstOp,
                ["lastOp"] = r.LastOp,
                ["offset"] = r.Offset,
                ["inPlaceOf"] = r.InPlaceOf,
            }).ToArray());
        return json;
    }

    private sealed record Row(int Tensor, string Name, long Bytes, int FirstOp, int LastOp, long Offset, string? InPlaceOf);

    /// <summary>One row per planned tensor in tensor order. "In place of" names the input an op's output shares
    /// its offset with while both are alive (the producer's input read for the last time there).</summary>
    private static List<Row> Rows(CompiledModel model, ModelStats stats)
    {
        var offsets = stats.Plan!.OffsetsByTensor(model.Tensors.Length);
        var lifetimes = stats.Lifetimes.ToDictionary(r => r.Id);
        var producer = new int[model.Tensors.Length];
        Array.Fill(producer, -1);
        for (int i = 0; i < model.Ops.Length; i++)
            foreach (var t in model.Ops[i].Outputs) producer[t] = i;
        var rows = new List<Row>();
        foreach (var p in stats.Plan.Tensors)
        {
            var life = lifetimes[p.Tensor];
            string? shared = null;
            if (producer[p.Tensor] >= 0 && life.Size > 0)
                foreach (var input in model.Ops[producer[p.Tensor]].Inputs)
                    if (input >= 0 && input != p.Tensor && lifetimes.TryGetValue(input, out var x) && x.LastUse == producer[p.Tensor]
                        && offsets[input] == p.Offset && x.Size == life.Size)
                    {
                        shared = model.Tensors[input].Name;
                        break;
                    }
            rows.Add(new Row(p.Tensor, model.Tensors[p.Tensor].Name, life.Size, life.FirstUse, life.LastUse, p.Offset, shared));
        }
        return rows;
    }
}
