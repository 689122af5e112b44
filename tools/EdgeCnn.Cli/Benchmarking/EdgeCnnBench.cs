using EdgeCnn.Cli.IO;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>Times EdgeCnn's <see cref="Session.Run(IReadOnlyList{ReadOnlyMemory{float}}, IReadOnlyList{Memory{float}})"/>
/// on one kernel path, with input and output buffers made once.</summary>
internal static class EdgeCnnBench
{
    /// <summary>"int8" when any tensor of the model is stored as 8-bit integers, "fp32" otherwise.</summary>
    public static string PrecisionOf(CompiledModel model) =>
        model.Tensors.Any(t => t.Type is DataType.Int8 or DataType.UInt8) ? "int8" : "fp32";

    /// <param name="profileRuns">Runs after the timed ones with an <see cref="OpProfiler"/> attached (0: none).</param>
    public static BenchRow Run(CompiledModel model, string source, KernelPath path, BenchInputs inputs, int warmup, int runs, int profileRuns = 0)
    {
        foreach (var o in model.Outputs)
            if (model.Tensors[o].Type != DataType.Float32)
                throw new InputFileException(source, $"graph output '{model.Tensors[o].Name}' is {model.Tensors[o].Type}; the benchmark reads float32 outputs");
        var session = new Session(model, new SessionOptions { KernelPath = path });
        var inputMemory = inputs.Data.Select(d => (ReadOnlyMemory<float>)d).ToArray();
        var outputs = model.Outputs.Select(o => new float[model.Tensors[o].ElementCount]).ToArray();
        var outputMemory = outputs.Select(o => (Memory<float>)o).ToArray();
        var timing = TimedRuns.Measure(() => session.Run(inputMemory, outputMemory), warmup, runs);
        OpProfile? profile = null;
        if (profileRuns > 0)
        {
            var profiler = new OpProfiler(model);
            session.Observer = profiler;
            for (int i = 0; i < profileRuns; i++) session.Run(inputMemory, outputMemory);
            session.Observer = null;
            profile = OpProfile.From(model, profiler.MeanMilliseconds(profileRuns), profileRuns);
        }
        return new BenchRow(BenchRow.EdgeCnnEngine, PrecisionOf(model), session.KernelPath, source, timing,
            session.PlannedArenaBytes, session.ArenaBytes, outputs) { Profile = profile };
    }
}
