using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Commands;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Runtime.Kernels;
using Spectre.Console;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>What <c>edgecnn bench</c> measured: one row per EdgeCnn kernel path, then one per ONNX Runtime file.
/// Ratios are EdgeCnn's median over ONNX Runtime's (below 1: EdgeCnn is faster); the output difference of every row
/// is taken against the first row, on the same input.</summary>
internal sealed record BenchReport(LoadedModel Loaded, long Macs, CpuFeatures Cpu, int Threads, int Warmup, int Runs,
    bool Interleaved, IReadOnlyList<BenchRow> Rows, string? OrtVersion)
{
    public BenchRow? OrtFp32 => Rows.FirstOrDefault(r => r.Engine == BenchRow.OrtEngine && r.Precision == "fp32");
    public BenchRow? OrtInt8 => Rows.FirstOrDefault(r => r.Engine == BenchRow.OrtEngine && r.Precision == "int8");

    public static double? Ratio(BenchRow row, BenchRow? baseline) =>
        row.Engine == BenchRow.EdgeCnnEngine && baseline is { Latency.MedianMs: > 0 } ? row.Latency.MedianMs / baseline.Latency.MedianMs : null;

    public JsonObject ToJson()
    {
        var doc = ModelSummary.ToJson(Loaded);
        doc["macs"] = Macs;
        doc["cpu"] = new JsonObject
        {
            ["description"] = Cpu.ToString(),
            ["vector128Accelerated"] = Cpu.Vector128Accelerated,
            ["avx2"] = Cpu.Avx2,
            ["advSimd"] = Cpu.AdvSimd,
            ["advSimdDp"] = Cpu.AdvSimdDp,
            ["bestKernelPath"] = Cpu.Best.ToString(),
            ["supportedKernelPaths"] = new JsonArray(Cpu.SupportedPaths.Select(p => (JsonNode)p.ToString()).ToArray()),
            ["processorCount"] = Environment.ProcessorCount,
            ["architecture"] = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
        };
        doc["threads"] = Threads;
        doc["warmup"] = Warmup;
        doc["runs"] = Runs;
        doc["interleaved"] = Interleaved;
        doc["input"] = BenchInputs.Description;
        doc["onnxRuntimeVersion"] = OrtVersion;
        var first = Rows[0];
        doc["results"] = new JsonArray(Rows.Select(r => (JsonNode)new JsonObject
        {
            ["engine"] = r.Engine,
            ["precision"] = r.Precision,
            ["kernelPath"] = r.KernelPath?.ToString(),
            ["file"] = r.File,
            ["medianMs"] = r.Latency.MedianMs,
            ["minMs"] = r.Latency.MinMs,
            ["meanMs"] = r.Latency.MeanMs,
            ["p90Ms"] = r.Latency.P90Ms,
            ["maxMs"] = r.Latency.MaxMs,
            ["gmacPerSecond"] = r.GmacPerSecond(Macs),
            ["plannedArenaBytes"] = r.PlannedArenaBytes,
            ["arenaBytes"] = r.ArenaBytes,
            ["allocatedBytesPerRun"] = r.Timing.AllocatedBytesPerRun,
            ["vsOrtFp32"] = Ratio(r, OrtFp32),
            ["vsOrtInt8"] = Ratio(r, OrtInt8),
            ["maxAbsDiffVsFirst"] = ReferenceEquals(r, first) ? null : r.MaxAbsDiff(first),
            ["profile"] = r.Profile?.ToJson(),
        }).ToArray());
        return doc;
    }

    public void Write(CliContext context)
    {
        ModelSummary.Write(context, Loaded);
        context.Out.WriteLine($"cpu      {Cpu} ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical processors)");
        context.Out.WriteLine($"work     {Units.Short(Macs)} MACs per inference");
        context.Out.WriteLine($"runs     {Runs} timed after {Warmup} warm-up{(Interleaved ? ", engines taking turns" : "")}, {Threads} thread{(Threads == 1 ? "" : "s")}; input {BenchInputs.Description}"
            + (OrtVersion is null ? "" : $"; ONNX Runtime {OrtVersion}"));

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "engine", "precision", "kernel path" }) table.AddColumn(column);
        foreach (var column in new[] { "median", "min", "mean", "p90", "GMAC/s", "arena", "alloc/run", "vs ORT fp32", "vs ORT int8", "max |diff|" })
            table.AddColumn(new TableColumn(column).RightAligned());
        var first = Rows[0];
        foreach (var r in Rows)
        {
            table.AddRow(
                new Text(r.Engine),
                new Text(r.Precision),
                new Text(r.KernelPath?.ToString() ?? "-"),
                new Text(Units.Milliseconds(r.Latency.MedianMs)),
                new Text(Units.Milliseconds(r.Latency.MinMs)),
                new Text(Units.Milliseconds(r.Latency.MeanMs)),
                new Text(Units.Milliseconds(r.Latency.P90Ms)),
                new Text(r.GmacPerSecond(Macs).ToString("0.00", CultureInfo.InvariantCulture)),
                new Text(r.PlannedArenaBytes is { } arena ? Units.Bytes(arena) : "-"),
                new Text(Units.Bytes((long)Math.Round(r.Timing.AllocatedBytesPerRun))),
                new Text(RatioText(Ratio(r, OrtFp32))),
                new Text(RatioText(Ratio(r, OrtInt8))),
                new Text(ReferenceEquals(r, first) ? "-" : r.MaxAbsDiff(first).ToString("G3", CultureInfo.InvariantCulture)));
        }
        context.Console.Write(table);
        context.Out.WriteLine("ratios are EdgeCnn's median over ONNX Runtime's (below 1: EdgeCnn is faster); max |diff| is against the first row, on the same input");
        foreach (var r in Rows)
            r.Profile?.Write(context.Out, r.Label);
    }

    private static string RatioText(double? ratio) =>
        ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
}
