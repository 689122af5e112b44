using System.Runtime.ExceptionServices;

namespace EdgeCnn.Runtime.Threading;

/// <summary>
/// The dedicated threads that help run a partitioned op for one session. They are started once, with the session,
/// and wait between ops, so a run queues no thread-pool work and allocates nothing. For each op the caller publishes
/// (op, parts) under a new generation number and then, like every worker, claims parts one at a time until none is
/// left; it returns once all parts are done. Claiming instead of assigning keeps a busy machine from stalling the
/// run: parts a descheduled worker never reached are run by whoever is awake. Which thread runs a part never
/// changes its result (each part has its own scratch). Waiting spins briefly (ops follow each other within
/// microseconds) and then blocks on a monitor, so idle workers cost no CPU.
/// </summary>
internal sealed class SessionWorkers : IDisposable
{
    /// <summary>SpinWait rounds before blocking; with the yielding SpinOnce this is tens of microseconds.</summary>
    private const int SpinRounds = 40;

    private readonly Thread[] _threads;
    private readonly long[] _allocatedBytes;
    private readonly Action<int, int, int> _invokePart;
    private readonly object _gate = new();
    private int _generation;
    private int _op;
    private int _parts;
    /// <summary>The generation (high 32 bits) and the next unclaimed part (low 32 bits), changed together so a
    /// thread still holding an older generation can never claim a part of the current op.</summary>
    private long _claims;
    private int _pending;
    private bool _stopping;
    private Exception? _failure;
    private long _partsRunByWorkers;

    /// <param name="workerCount">Threads to start besides the caller's.</param>
    /// <param name="invokePart">Runs (op index, part, parts); must not throw in normal operation.</param>
    public SessionWorkers(int workerCount, Action<int, int, int> invokePart)
    {
        _invokePart = invokePart;
        _threads = new Thread[workerCount];
        _allocatedBytes = new long[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            int worker = i;
            // Background: a session the caller forgot to dispose must not keep the process alive.
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"EdgeCnn worker {worker + 1}" };
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

    /// <summary>Parts the workers (not the caller) have run since the session started.</summary>
    public long PartsRunByWorkers => Volatile.Read(ref _partsRunByWorkers);

    /// <summary>Runs parts 0..parts−1 of op <paramref name="op"/> on the calling thread and the workers; returns
    /// when all are done. An exception from any part is rethrown here.</summary>
    public void Run(int op, int parts)
    {
        if (parts < 1 || parts > _threads.Length + 1)
            throw new ArgumentOutOfRangeException(nameof(parts), parts, $"1..{_threads.Length + 1} parts for {_threads.Length} workers");
        int generation;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            generation = ++_generation;
            _op = op;
            _parts = parts;
            Volatile.Write(ref _pending, parts);
            Volatile.Write(ref _claims, (long)generation << 32);
            Monitor.PulseAll(_gate);
        }
        RunParts(generation, op, parts, worker: -1);
        // Every part has finished (or failed) before Run returns, so no worker still writes the arena.
        WaitForParts();
        var failure = Interlocked.Exchange(ref _failure, null);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Claims and runs parts of <paramref name="generation"/> until none is left.</summary>
    /// <param name="worker">The worker's index, or −1 on the caller's thread.</param>
    private void RunParts(int generation, int op, int parts, int worker)
    {
        while (TryClaim(generation, parts, out int part))
        {
            try
            {
                _invokePart(op, part, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            if (worker >= 0)
            {
                // Recorded before the part counts as done, so the caller sees it once Run returns.
                Volatile.Write(ref _allocatedBytes[worker], GC.GetAllocatedBytesForCurrentThread());
                Interlocked.Increment(ref _partsRunByWorkers);
            }
            if (Interlocked.Decrement(ref _pending) == 0)
                lock (_gate) Monitor.PulseAll(_gate);
        }
    }

    private bool TryClaim(int generation, int parts, out int part)
    {
        while (true)
        {
            long claims = Volatile.Read(ref _claims);
            part = (int)(claims & 0xFFFF_FFFF);
            if ((int)(claims >> 32) != generation || part >= parts) return false;
            if (Interlocked.CompareExchange(ref _claims, claims + 1, claims) == claims) return true;
        }
    }

    private void WaitForParts()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) > 0 && spin.Count < SpinRounds) spin.SpinOnce(sleep1Threshold: -1);
        if (Volatile.Read(ref _pending) == 0) return;
        lock (_gate)
            while (Volatile.Read(ref _pending) > 0) Monitor.Wait(_gate);
    }

    private void Loop(int worker)
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
            RunParts(seen, op, parts, worker);
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
