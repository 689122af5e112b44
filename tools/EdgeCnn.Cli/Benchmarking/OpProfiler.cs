using System.Diagnostics;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>
/// Times each op of a session run from the observer callbacks the session makes after every op: an op's time is
/// from the end of the previous callback to the start of its first output's callback, so the observer's own work
/// is not counted. Used on separate runs, never on the timed ones.
/// </summary>
internal sealed class OpProfiler : ITensorObserver
{
    private readonly int[] _producer;
    private readonly long[] _ticks;
    private long _last;
    private int _lastOp = -1;

    public OpProfiler(CompiledModel model)
    {
        _producer = new int[model.Tensors.Length];
        Array.Fill(_producer, -1);
        for (int op = 0; op < model.Ops.Length; op++)
            foreach (var t in model.Ops[op].Outputs)
                if (t >= 0) _producer[t] = op;
        _ticks = new long[model.Ops.Length];
    }

    public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
    {
        long now = Stopwatch.GetTimestamp();
        int op = tensorIndex >= 0 && tensorIndex < _producer.Length ? _producer[tensorIndex] : -1;
        // A graph input's callback comes before the first op runs; an op with several outputs is timed at its first.
        if (op < 0) _lastOp = -1;
        else if (op != _lastOp)
        {
            _ticks[op] += now - _last;
            _lastOp = op;
        }
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Mean milliseconds per run of every op, in op order, over the <paramref name="runs"/> observed runs.</summary>
    public double[] MeanMilliseconds(int runs) =>
        _ticks.Select(t => t * 1000.0 / Stopwatch.Frequency / runs).ToArray();
}
