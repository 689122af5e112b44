using EdgeCnn.Runtime.Operators;
using EdgeCnn.Runtime.Threading;

namespace EdgeCnn.Runtime;

/// <summary>
/// Intra-op threads (<see cref="SessionOptions.ThreadCount"/>): ops that split (<see cref="Operator.Partitions"/>)
/// run their parts on the caller's thread and on workers started with the session, each part with its own slice of
/// scratch. The workers live until <see cref="Dispose"/>; a session with threads must be disposed (its workers are
/// background threads, so a forgotten one idles in a wait but does not keep the process alive).
/// </summary>
public sealed partial class Session : IDisposable
{
    private readonly SessionWorkers? _workers;
    private readonly int[] _partsByOp = [];
    private bool _disposed;

    /// <summary>Threads that run one op together: the caller's plus <c>ThreadCount − 1</c> workers.</summary>
    public int ThreadCount { get; } = 1;

    /// <summary>Worker threads currently running (0 for one thread and after <see cref="Dispose"/>).</summary>
    public int LiveWorkerCount => _workers?.AliveCount ?? 0;

    /// <summary>Into how many parts op <paramref name="opIndex"/> is split (1 = it runs whole on the caller's thread).</summary>
    internal int PartsOf(int opIndex) => _partsByOp[opIndex];

    /// <summary>Managed bytes the workers had allocated after their latest parts (0 without workers).</summary>
    internal long WorkerAllocatedBytes => _workers?.AllocatedBytes ?? 0;

    /// <summary>Parts of split ops the workers (not the caller) have run.</summary>
    internal long PartsRunByWorkers => _workers?.PartsRunByWorkers ?? 0;

    /// <summary>Stops the worker threads; later runs throw <see cref="ObjectDisposedException"/>. Does not dispose
    /// the <see cref="Model"/>, which sessions may share.</summary>
    public void Dispose()
    {
        _disposed = true;
        _workers?.Dispose();
    }

    private static int CheckedThreadCount(SessionOptions options) => options.ThreadCount >= 1
        ? options.ThreadCount
        : throw new ArgumentOutOfRangeException(nameof(options), options.ThreadCount, "SessionOptions.ThreadCount must be at least 1");

    /// <summary>Each op's part count, clamped to the threads there are (an op asking for more would otherwise
    /// get parts nobody runs).</summary>
    private int[] PartitionsByOp(int threads)
    {
        var parts = new int[_operators.Length];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = threads == 1 ? 1 : Math.Clamp(_operators[i].Partitions(threads), 1, threads);
        return parts;
    }

    /// <summary>Runs one part of op <paramref name="opIndex"/>; called on the caller's thread and on workers, each
    /// building its own context over the shared arena with part <paramref name="part"/>'s scratch.</summary>
    private void InvokePart(int opIndex, int part, int parts)
    {
        var op = _operators[opIndex];
        var context = new RunContext(_arena, Model.Weights.Span, _offsets, Model, op.Desc,
            _scratchOffset + part * _scratchBytes, _scratchBytes);
        op.InvokePartition(in context, part, parts);
    }
}
