using System.Runtime.ExceptionServices;

namespace EdgeCnn.Runtime.Threading;

/// <summary>
/// The dedicated threads that run the extra parts of a partitioned op for one session. They are started once,
/// with the session, and wait between ops, so a run queues no thread-pool work and allocates nothing: the caller
/// publishes (op, parts) and a new generation number, runs part 0 itself, and waits until the workers that got a
/// part (worker i runs part i + 1) have finished. Waiting spins briefly first (ops follow each other within
/// microseconds) and then blocks on a monitor, so idle workers cost no CPU.
/// </summary>
internal sealed class SessionWorkers : IDisposable
{
    /// <summary>SpinWait rounds before blocking; with the yielding SpinOnce this is tens of microseconds.</summary>
    private const int SpinRounds = 40;

    private readonly Thread[] _threads;
    private readonly Action<int, int, int> _invokePart;
    private readonly object _gate = new();
    private int _generation;
    private int _op;
    private int _parts;
    private int _pending;
    private bool _stopping;
    private Exception? _failure;
    private readonly long[] _allocatedBytes;

    /// <param name="workerCount">Threads to start besides the caller's.</param>
    /// <param name="invokePart">Runs (op index, part, parts); must not throw in normal operation.</param>
    public SessionWorkers(int workerCount, Action<int, int, int> invokePart)
    {
        _invokePart = invokePart;
        _threads = new Thread[workerCount];
        _allocatedBytes = new long[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            int part = i + 1;
            // Background: a session the caller forgot to dispose must not keep the process alive.
            _threads[i] = new Thread(() => Loop(part)) { IsBackground = true, Name = $"EdgeCnn worker {part}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads still running (0 after <see cref="Dispose"/>).</summary>
    public int AliveCount
    {
        get
        {
            int alive = 0;
            foreach (var t in _threads) if (t.IsAlive) alive++;
            return alive;
        }
    }

    /// <summary>Managed bytes the worker threads had allocated when each last finished a part: the allocation
    /// tests' view of threads they cannot ask directly.</summary>
    public long AllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _allocatedBytes.Length; i++) sum += Volatile.Read(ref _allocatedBytes[i]);
            return sum;
        }
    }

    /// <summary>Runs parts 0..parts−1 of op <paramref name="op"/>: part 0 on the calling thread, the others on
    /// workers; returns when all are done. An exception from any part is rethrown here.</summary>
    public void Run(int op, int parts)
    {
        if (parts < 1 || parts > _threads.Length + 1)
            throw new ArgumentOutOfRangeException(nameof(parts), parts, $"1..{_threads.Length + 1} parts for {_threads.Length} workers");
        Volatile.Write(ref _pending, parts - 1);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _op = op;
            _parts = parts;
            _generation++;
            Monitor.PulseAll(_gate);
        }
        Exception? own = null;
        try
        {
            _invokePart(op, 0, parts);
        }
        catch (Exception e)
        {
            own = e;
        }
        WaitForWorkers();
        var failure = Interlocked.Exchange(ref _failure, null);
        if (own is not null) ExceptionDispatchInfo.Throw(own);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    private void WaitForWorkers()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) > 0 && spin.Count < SpinRounds) spin.SpinOnce(sleep1Threshold: -1);
        if (Volatile.Read(ref _pending) == 0) return;
        lock (_gate)
            while (Volatile.Read(ref _pending) > 0) Monitor.Wait(_gate);
    }

    private void Loop(int part)
    {
        int seen = 0;
        while (true)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _generation) == seen && !Volatile.Read(ref _stopping) && spin.Count < SpinRounds)
                spin.SpinOnce(sleep1Threshold: -1);
            int op, parts;
            // The generation, op and part count are read together under the gate, so a worker never pairs one
            // op's generation with another op's parameters.
            lock (_gate)
            {
                while (_generation == seen && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                seen = _generation;
                op = _op;
                parts = _parts;
            }
            if (part >= parts) continue;
            try
            {
                _invokePart(op, part, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            // Recorded before the part counts as done, so the caller sees it once Run returns.
            Volatile.Write(ref _allocatedBytes[part - 1], GC.GetAllocatedBytesForCurrentThread());
            if (Interlocked.Decrement(ref _pending) == 0)
                lock (_gate) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops the workers and waits for them to exit; idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var t in _threads)
            if (t != Thread.CurrentThread) t.Join();
    }
}
