using System.Text.Json.Nodes;
using EdgeCnn.Cli.Tests.Support;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn inspect --plan</c>: the arena next to its lower bound, and the plan's rows checked here
/// against each other (no two tensors alive together share bytes unless one is computed in place of the other).</summary>
public sealed class InspectPlanTests
{
    [Fact]
    public void Plan_rows_never_share_bytes_while_alive_unless_in_place()
    {
        var plan = CliRun.Invoke("inspect", RepositoryPaths.TinyCnnOnnx, "--plan", "--json").Json()["memoryPlan"]!;
        var rows = plan["tensors"]!.AsArray().Select(r => (
            Name: (string)r!["name"]!, Bytes: (long)r["bytes"]!, First: (int)r["firstOp"]!, Last: (int)r["lastOp"]!,
            Offset: (long)r["offset"]!, InPlaceOf: (string?)r["inPlaceOf"])).ToList();
        Assert.NotEmpty(rows);
        long arena = (long)plan["arenaBytes"]!;
        Assert.True(arena >= (long)plan["lowerBoundBytes"]!, plan.ToJsonString());
        Assert.Equal("load", (string)plan["source"]!);

        foreach (var a in rows)
        {
            Assert.InRange(a.Offset + a.Bytes, 0, arena);
            foreach (var b in rows)
            {
                if (a.Name == b.Name || a.Bytes == 0 || b.Bytes == 0) continue;
                bool together = a.First <= b.Last && b.First <= a.Last;
                bool overlap = a.Offset < b.Offset + b.Bytes && b.Offset < a.Offset + a.Bytes;
                if (together && overlap)
                    Assert.True(a.InPlaceOf == b.Name || b.InPlaceOf == a.Name, $"{a} and {b} share bytes while alive");
            }
        }
    }

    [Fact]
    public void Compiled_file_carries_the_plan_that_inspect_of_the_onnx_makes()
    {
        using var dir = new TempDirectory();
        string ecnn = dir.File("tiny.ecnn");
        CliRun.Invoke("compile", RepositoryPaths.TinyCnnOnnx, "-o", ecnn).AssertSucceeded();

        var fromOnnx = CliRun.Invoke("inspect", RepositoryPaths.TinyCnnOnnx, "--plan", "--json").Json()["memoryPlan"]!;
        var fromFile = CliRun.Invoke("inspect", ecnn, "--plan", "--json").Json()["memoryPlan"]!;

        Assert.Equal("file", (string)fromFile["source"]!);
        Assert.Equal(fromOnnx["tensors"]!.ToJsonString(), fromFile["tensors"]!.ToJsonString());
        Assert.Equal((long)fromOnnx["arenaBytes"]!, (long)fromFile["arenaBytes"]!);
    }

    [Fact]
    public void Text_output_prints_the_bound_and_with_plan_the_table()
    {
        var plain = CliRun.Invoke("inspect", RepositoryPaths.TinyCnnOnnx);
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("lower bound", plain.Output);
        Assert.DoesNotContain("in place of", plain.Output);

        var withPlan = CliRun.Invoke("inspect", RepositoryPaths.TinyCnnOnnx, "--plan");
        Assert.Equal(0, withPlan.ExitCode);
        Assert.Contains("in place of", withPlan.Output);
        Assert.Contains("first op", withPlan.Output);
    }
}
