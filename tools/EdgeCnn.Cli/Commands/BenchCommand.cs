using System.CommandLine;
using EdgeCnn.Cli.Benchmarking;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Analysis;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Commands;

/// <summary>
/// <c>edgecnn bench MODEL</c>: times single-threaded inference of an .ecnn model (or an .onnx model compiled to fp32
/// in memory) on one or more kernel paths and, with <c>--compare-ort</c>, ONNX Runtime on the source ONNX (fp32) and
/// on the QDQ export (int8) in the same process, on the same input. Prints median, min, mean and p90 latency, GMAC/s,
/// the arena and the managed bytes allocated per run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.Model("The model: .ecnn (fp32 or int8) or .onnx (compiled to fp32 in memory)");
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "EdgeCnn threads per inference (SessionOptions.ThreadCount: convolutions split by output rows); ONNX Runtime stays single-threaded",
            DefaultValueFactory = _ => 1,
        };
        var runs = new Option<int>("--runs", "-n") { Description = "Timed runs per engine", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup", "-w") { Description = "Untimed runs per engine before the timed ones", DefaultValueFactory = _ => 3 };
        var kernelPath = new Option<string[]>("--kernel-path", "-k")
        {
            Description = $"EdgeCnn kernel path, repeatable: {KernelPathNames.Choices} (default: the best this machine supports)",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var compareOrt = new Option<bool>("--compare-ort")
        {
            Description = "Also time ONNX Runtime, single-threaded: fp32 on the source ONNX (MODEL itself, or --onnx) and int8 on the QDQ export (--qdq)",
        };
        var onnx = new Option<string?>("--onnx") { Description = "The source ONNX model for ONNX Runtime fp32 when MODEL is an .ecnn file (with --compare-ort)" };
        var qdq = new Option<string?>("--qdq") { Description = "The QDQ ONNX export ('edgecnn quantize --emit-qdq') for ONNX Runtime int8 (with --compare-ort)" };
        var profile = new Option<bool>("--profile")
        {
            Description = "After the timed runs, as many again with a per-op timer attached: time per op type and the slowest ops, per kernel path",
        };
        var interleave = new Option<bool>("--interleave")
        {
            Description = "Engines take turns run by run instead of each doing all its runs in a row, so a change of machine load hits all alike (fairer ratios on a busy machine)",
        };
        var inputShape = CommonOptions.InputShape();
        var json = CommonOptions.Json();
        var command = new Command("bench", "Time inference (median, min, mean, p90, GMAC/s, arena, allocations) on chosen kernel paths, optionally next to ONNX Runtime")
        {
            model, threads, runs, warmup, kernelPath, compareOrt, onnx, qdq, profile, interleave, inputShape, json,
        };

        CommandAction.Set(command, context, verbose, parse =>
        {
            // Every option is checked before the model is loaded, so usage errors come first and cost nothing.
            int threadCount = parse.GetValue(threads);
            if (threadCount < 1)
                throw new UsageException($"--threads {threadCount}: must be at least 1");
            int runCount = parse.GetValue(runs);
            if (runCount < 1) throw new UsageException($"--runs {runCount}: must be at least 1");
            int warmupCount = parse.GetValue(warmup);
            if (warmupCount < 0) throw new UsageException($"--warmup {warmupCount}: must be at least 0");
            var cpu = CpuFeatures.Current;
            var paths = KernelPathNames.Parse(parse.GetValue(kernelPath) ?? [], cpu);
            string modelPath = parse.GetValue(model)!;
            var kind = ModelLoader.KindOf(modelPath);
            var (ortFp32, ortInt8) = OrtFiles(parse.GetValue(compareOrt), modelPath, kind, parse.GetValue(onnx), parse.GetValue(qdq));
            var shapes = OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []);

            var loaded = context.WithStatus("loading model", () => ModelLoader.Load(modelPath, shapes, optimize: true));
            long macs = ModelAnalyzer.Analyze(loaded.Model).Macs;
            var inputs = BenchInputs.For(loaded.Model);
            int profileRuns = parse.GetValue(profile) ? runCount : 0;
            var targets = new List<IBenchTarget>();
            List<BenchRow> rows;
            try
            {
                foreach (var path in paths) targets.Add(new EdgeCnnBench(loaded.Model, loaded.Source, path, inputs, profileRuns, threadCount));
                if (ortFp32 is not null) targets.Add(new OrtBench(ortFp32, "fp32", loaded.Model, inputs));
                if (ortInt8 is not null) targets.Add(new OrtBench(ortInt8, "int8", loaded.Model, inputs));
                bool interleaved = parse.GetValue(interleave);
                var timings = context.WithStatus(interleaved ? "timing, engines taking turns" : "timing",
                    () => TimedRuns.Measure(targets, warmupCount, runCount, interleaved));
                rows = targets.Select((t, i) => t.Finish(timings[i])).ToList();
            }
            finally
            {
                foreach (var t in targets) t.Dispose();
            }

            var report = new BenchReport(loaded, macs, cpu, threadCount, warmupCount, runCount, parse.GetValue(interleave), rows,
                ortFp32 is null && ortInt8 is null ? null : OrtBench.Version);
            if (parse.GetValue(json)) context.WriteJson(report.ToJson());
            else report.Write(context);
            return CommandAction.Success;
        });
        return command;
    }

    /// <summary>The ONNX files ONNX Runtime times: fp32 on MODEL itself or --onnx, int8 on --qdq.</summary>
    private static (string? Fp32, string? Int8) OrtFiles(bool compare, string modelPath, ModelKind kind, string? onnx, string? qdq)
    {
        if (!compare)
        {
            if (onnx is not null) throw new UsageException("--onnx applies with --compare-ort");
            if (qdq is not null) throw new UsageException("--qdq applies with --compare-ort");
            return (null, null);
        }
        foreach (var (option, path) in new[] { ("--onnx", onnx), ("--qdq", qdq) })
            if (path is not null && !string.Equals(Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"{option} '{path}': expected an .onnx file");
        if (kind == ModelKind.Onnx)
        {
            if (onnx is not null)
                throw new UsageException($"--onnx: MODEL '{modelPath}' is already the ONNX model ONNX Runtime runs; --onnx is for an .ecnn MODEL");
            return (modelPath, qdq);
        }
        if (onnx is null && qdq is null)
            throw new UsageException($"--compare-ort with an .ecnn MODEL needs the ONNX files to run: --onnx SOURCE.onnx and/or --qdq MODEL.qdq.onnx");
        return (onnx, qdq);
    }
}
