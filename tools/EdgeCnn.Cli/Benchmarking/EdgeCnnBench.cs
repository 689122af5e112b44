using EdgeCnn.Cli.IO;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>EdgeCnn's <see cref="Session.Run(IReadOnlyList{ReadOnlyMemory{float}}, IReadOnlyList{Memory{float}})"/> on
/// one kernel path, with input and output buffers made once.</summary>
internal sealed class EdgeCnnBench : IBenchTarget
{
    private readonly CompiledModel _model;
    private readonly string _source;
    private readonly Session _session;
    private readonly ReadOnlyMemory<float>[] _inputs;
    private readonly float[][] _outputs;
    private readonly Memory<float>[] _outputMemory;
    private readonly int _profileRuns;

    /// <param name="profileRuns">Runs after the timed ones with an <see cref="OpProfiler"/> attached (0: none).</param>
    /// <param name="threads">The session's <see cref="SessionOptions.ThreadCount"/>.</param>
    public EdgeCnnBench(CompiledModel model, string source, KernelPath path, BenchInputs inputs, int profileRuns = 0, int threads = 1)
    {
        foreach (var o in model.Outputs)
            if (model.Tensors[o].Type != DataType.Float32)
                throw new InputFileException(source, $"graph output '{model.Tensors[o].Name}' is {model.Tensors[o].Type}; the benchmark reads float32 outputs");
        _model = model;
        _source = source;
        _session = new Session(model, new SessionOptions { KernelPath = path, ThreadCount = threads });
        _inputs = inputs.Data.Select(d => (ReadOnlyMemory<float>)d).ToArray();
        _outputs = model.Outputs.Select(o => new float[model.Tensors[o].ElementCount]).ToArray();
        _outputMemory = _outputs.Select(o => (Memory<float>)o).ToArray();
        _profileRuns = profileRuns;
    }

    public string Description => $"EdgeCnn {PrecisionOf(_model)} ({KernelPathNames.Name(_session.KernelPath)})";

    /// <summary>"int8" when any tensor of the model is stored as 8-bit integers, "fp32" otherwise.</summary>
    public static string PrecisionOf(CompiledModel model) =>
        model.Tensors.Any(t => t.Type is DataType.Int8 or DataType.UInt8) ? "int8" : "fp32";

    public void RunOnce() => _session.Run(_inputs, _outputMemory);

    public BenchRow Finish(TimedResult timing)
    {
        // The outputs of the last timed run, before profiling runs the session again.
        var outputs = _outputs.Select(o => (float[])o.Clone()).ToArray();
        OpProfile? profile = null;
        if (_profileRuns > 0)
        {
            var profiler = new OpProfiler(_model);
            _session.Observer = profiler;
            for (int i = 0; i < _profileRuns; i++) RunOnce();
            _session.Observer = null;
            profile = OpProfile.From(_model, profiler.MeanMilliseconds(_profileRuns), _profileRuns);
        }
        return new BenchRow(BenchRow.EdgeCnnEngine, PrecisionOf(_model), _session.KernelPath, _source, timing,
            _session.PlannedArenaBytes, _session.ArenaBytes, outputs) { Profile = profile };
    }

    /// <summary>Stops the session's worker threads (if it has any).</summary>
    public void Dispose() => _session.Dispose();
}
