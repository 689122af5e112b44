using EdgeCnn.Runtime.Threading;

namespace EdgeCnn.Runtime.Tests.Threading;

/// <summary>The worker group on its own: every part of every op runs exactly once, whoever claims it; a part's
/// exception reaches the caller; a disposed group refuses work.</summary>
public sealed class SessionWorkersTests
{
    [Fact]
    public void Every_part_of_every_op_runs_exactly_once()
    {
        const int Ops = 2000;
        var counts = new int[Ops, 4];
        using var workers = new SessionWorkers(3, (op, part, parts) =>
        {
            Assert.Equal(1 + op % 4, parts);
            Interlocked.Increment(ref counts[op, part]);
        });
        for (int op = 0; op < Ops; op++) workers.Run(op, 1 + op % 4);
        for (int op = 0; op < Ops; op++)
        for (int part = 0; part < 4; part++)
            Assert.True(counts[op, part] == (part <= op % 4 ? 1 : 0), $"op {op} part {part} ran {counts[op, part]} times");
    }

    [Fact]
    public void A_failing_part_is_rethrown_to_the_caller_and_the_group_keeps_working()
    {
        int ran = 0;
        using var workers = new SessionWorkers(2, (op, part, parts) =>
        {
            if (op == 1 && part == 2) throw new InvalidDataException($"part {part} of op {op}");
            Interlocked.Increment(ref ran);
        });
        var error = Assert.Throws<InvalidDataException>(() => workers.Run(1, 3));
        Assert.Equal("part 2 of op 1", error.Message);
        workers.Run(2, 3);
        Assert.Equal(5, ran);
    }

    [Fact]
    public void Dispose_joins_the_threads_and_later_runs_are_refused()
    {
        var workers = new SessionWorkers(2, (_, _, _) => { });
        Assert.Equal(2, workers.AliveCount);
        workers.Dispose();
        Assert.Equal(0, workers.AliveCount);
        Assert.Throws<ObjectDisposedException>(() => workers.Run(0, 2));
        using var one = new SessionWorkers(1, (_, _, _) => { });
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Run(0, 3));
    }
}
