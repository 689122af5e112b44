using EdgeCnn.Hardware.Backends;

namespace EdgeCnn.Hardware.Tests.Pipeline.Fakes;

/// <summary>A backend with fixed logits. With <see cref="Gate"/> set up, <see cref="Run"/> signals <see cref="Entered"/>
/// and blocks until the test opens the gate: a slow inference the test controls without any sleep.</summary>
internal sealed class ScriptedBackend : IInferenceBackend
{
    private readonly float[] _input = new float[4];
    private readonly float[] _output;

    public ScriptedBackend(params float[] logits) => _output = logits;

    public ManualResetEventSlim? Gate { get; init; }

    public ManualResetEventSlim Entered { get; } = new(false);

    /// <summary>Run numbers (1-based) that throw.</summary>
    public HashSet<int> FailingRuns { get; init; } = [];

    public int Runs { get; private set; }

    public bool Disposed { get; private set; }

    public string Name => "scripted";

    public string Description => "scripted logits";

    public BackendInput Input { get; } = new("x", [1, 1, 2, 2], IsInt8: false);

    public int OutputLength => _output.Length;

    public Span<float> InputFloat() => _input;

    public Span<sbyte> InputInt8() => throw new InvalidOperationException("the input is float");

    public void Run()
    {
        Runs++;
        Entered.Set();
        Gate?.Wait();
        if (FailingRuns.Contains(Runs)) throw new InvalidOperationException($"run {Runs} failed");
    }

    public ReadOnlySpan<float> Output() => _output;

    public void Dispose() => Disposed = true;
}
