using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>Where one kernel path's time goes: the mean milliseconds of every op over the profiled runs, summed by
/// op code and listed for the slowest ops (<c>edgecnn bench --profile</c>).</summary>
internal sealed record OpProfile(IReadOnlyList<OpTime> Ops, int Runs)
{
    public const int SlowestShown = 10;

    public double TotalMs => Ops.Sum(o => o.Milliseconds);

    public static OpProfile From(CompiledModel model, double[] milliseconds, int runs) =>
        new(model.Ops.Select((op, i) => new OpTime(op.Name, op.Code.ToString(), milliseconds[i])).ToArray(), runs);

    /// <summary>Per op code: how many ops, their summed time, slowest first.</summary>
    public IReadOnlyList<(string Code, int Count, double Milliseconds)> ByCode() =>
        Ops.GroupBy(o => o.Code)
            .Select(g => (g.Key, g.Count(), g.Sum(o => o.Milliseconds)))
            .OrderByDescending(g => g.Item3)
            .ToArray();

    public IReadOnlyList<OpTime> Slowest() => Ops.OrderByDescending(o => o.Milliseconds).Take(SlowestShown).ToArray();

    public JsonObject ToJson()
    {
        double total = TotalMs;
        return new JsonObject
        {
            ["runs"] = Runs,
            ["totalMs"] = total,
            ["byOpCode"] = new JsonArray(ByCode().Select(c => (JsonNode)new JsonObject
            {
                ["op"] = c.Code,
                ["count"] = c.Count,
                ["ms"] = c.Milliseconds,
                ["share"] = total > 0 ? c.Milliseconds / total : 0,
            }).ToArray()),
            ["slowest"] = new JsonArray(Slowest().Select(o => (JsonNode)new JsonObject
            {
                ["name"] = o.Name,
                ["op"] = o.Code,
                ["ms"] = o.Milliseconds,
            }).ToArray()),
        };
    }

    public void Write(TextWriter writer, string label)
    {
        double total = TotalMs;
        string Share(double ms) => total > 0 ? (100 * ms / total).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";
        string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);
        writer.WriteLine($"profile  {label}, mean of {Runs} observed runs, {Ms(total)} ms in ops: "
            + string.Join(", ", ByCode().Select(c => $"{c.Code}×{c.Count} {Ms(c.Milliseconds)} ms ({Share(c.Milliseconds)})")));
        writer.WriteLine("slowest  " + string.Join(", ", Slowest().Select(o => $"{o.Name} ({o.Code}) {Ms(o.Milliseconds)} ms")));
    }
}

/// <summary>One op's mean time per run.</summary>
internal sealed record OpTime(string Name, string Code, double Milliseconds);
