using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime;

namespace EdgeCnn.Cli.Commands;

/// <summary><c>edgecnn run [MODEL] --input FILE...</c>: runs a model (the embedded default when MODEL is
/// omitted) on images, .npy or .pb tensors and prints the top-K classes per output and the timing. With neither
/// MODEL nor --input, the default model classifies its embedded sample images (<see cref="SampleRun"/>).</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.OptionalModel("The model: .onnx (compiled in memory first) or .ecnn; the embedded default model when omitted");
        var input = new Option<string[]>("--input", "-i")
        {
            Description = "An input file per model input, in order: image (.png/.jpg/.bmp), .npy or ONNX TensorProto .pb (without MODEL and --input: the default model's sample images)",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write every graph output to DIR/output_0.pb, output_1.pb, ... (ONNX TensorProto)" };
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line (line i names class i)" };
        var top = new Option<int>("--top", "-k") { Description = "How many classes to list per output", DefaultValueFactory = _ => 5 };
        var preprocessing = new PreprocessingOptions();
        var repeat = new Option<int>("--repeat") { Description = "Run this many times and report the mean time", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads per inference (SessionOptions.ThreadCount); the outputs are the same for any count", DefaultValueFactory = _ => 1 };
        var inputShape = CommonOptions.InputShape();
        var noOptimize = CommonOptions.NoOptimize();
        var json = CommonOptions.Json();
        var command = new Command("run", "Run a model on input files and print the top classes and timing; with no MODEL and no --input, classify the default model's sample images")
        {
            model, input, output, labels, top, repeat, threads, inputShape, noOptimize, json,
        };
        preprocessing.AddTo(command);

        CommandAction.Set(command, context, verbose, parse =>
        {
            // Every option is checked before the model is loaded, so usage errors come first and cost nothing.
            int k = parse.GetValue(top);
            if (k < 1) throw new UsageException($"--top {k}: must be at least 1");
            int runs = parse.GetValue(repeat);
            if (runs < 1) throw new UsageException($"--repeat {runs}: must be at least 1");
            int threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new UsageException($"--threads {threadCount}: must be at least 1");
            var imageOptions = preprocessing.Parse(parse);
            var shapes = OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []);
            string? modelPath = parse.GetValue(model);
            string? labelsPath = parse.GetValue(labels);
            string[] labelNames = labelsPath is not null ? LabelFile.Read(labelsPath)
                : modelPath is null ? DefaultModel.Labels() : [];
            string? outputDir = parse.GetValue(output);
            string[] inputFiles = parse.GetValue(input) ?? [];
            if (inputFiles.Length == 0)
            {
                if (modelPath is not null)
                    throw new UsageException("--input is required with a MODEL (run without MODEL and --input classifies the default model's sample images)");
                foreach (var (option, name) in new (Option, string)[] { (output, "--output"), (top, "--top"), (repeat, "--repeat"), (threads, "--threads") })
                    if (parse.GetResult(option) is { Implicit: false })
                        throw new UsageException($"{name} applies to --input files; the sample run of the default model does not take it");
                var defaultModel = context.WithStatus("loading model", () => ModelLoader.Load(null, shapes, !parse.GetValue(noOptimize)));
                return SampleRun.Execute(context, defaultModel, imageOptions, labelNames, parse.GetValue(json));
            }

            var loaded = context.WithStatus("loading model", () => ModelLoader.Load(modelPath, shapes, !parse.GetValue(noOptimize)));
            var inputs = RunInputs.Bind(loaded.Model, inputFiles, imageOptions);
            var result = Execute(loaded, inputs, runs, threadCount);
            var reports = result.Outputs.Select((data, i) => OutputReport.Create(loaded.Model.OutputInfo(i), data, k, labelNames)).ToList();
            var written = outputDir is null ? [] : WriteOutputs(outputDir, reports);

            if (parse.GetValue(json))
            {
                var doc = ModelSummary.ToJson(loaded);
                doc["inputFiles"] = new JsonArray(inputs.Select(b => (JsonNode)new JsonObject
                {
                    ["file"] = b.File,
                    ["input"] = b.Target.Name,
                    ["shape"] = ModelSummary.ShapeJson(b.FileShape),
                }).ToArray());
                doc["results"] = new JsonArray(reports.Select(r => (JsonNode)r.ToJson()).ToArray());
                doc["timing"] = new JsonObject
                {
                    ["prepareMs"] = result.PrepareMs,
                    ["firstRunMs"] = result.FirstRunMs,
                    ["meanRunMs"] = result.MeanRunMs,
                    ["runs"] = runs,
                };
                doc["arenaBytes"] = result.ArenaBytes;
                doc["outputFiles"] = new JsonArray(written.Select(w => (JsonNode)w).ToArray());
                context.WriteJson(doc);
            }
            else
            {
                ModelSummary.Write(context, loaded);
                foreach (var b in inputs) context.Out.WriteLine($"input    {b.File} -> '{b.Target.Name}'");
                foreach (var r in reports) r.Write(context.Out);
                context.Out.WriteLine($"time     prepare {Units.Milliseconds(result.PrepareMs)}, first run {Units.Milliseconds(result.FirstRunMs)}"
                    + (runs > 1 ? $", mean of {runs} runs {Units.Milliseconds(result.MeanRunMs)}" : ""));
                context.Out.WriteLine($"arena    {Units.Bytes(result.ArenaBytes)}");
                foreach (var w in written) context.Out.WriteLine($"wrote    {w}");
            }
            return CommandAction.Success;
        });
        return command;
    }

    private sealed record RunResult(float[][] Outputs, double PrepareMs, double FirstRunMs, double MeanRunMs, long ArenaBytes);

    private static RunResult Execute(LoadedModel loaded, List<BoundInput> inputs, int runs, int threads)
    {
        var model = loaded.Model;
        foreach (var o in model.Outputs)
            if (model.Tensors[o].Type != Runtime.Model.DataType.Float32)
                throw new IO.InputFileException(loaded.Source, $"graph output '{model.Tensors[o].Name}' is {model.Tensors[o].Type}; edgecnn run reads float32 outputs");
        var clock = Stopwatch.StartNew();
        // Disposed so a threaded session's workers stop when the command is done.
        using var session = new Session(model, new SessionOptions { ThreadCount = threads });
        double prepareMs = clock.Elapsed.TotalMilliseconds;

        var outputs = model.Outputs.Select(o => new float[model.Tensors[o].ElementCount]).ToArray();
        double first = 0, total = 0;
        for (int r = 0; r < runs; r++)
        {
            clock.Restart();
            // Written into the arena before every run: the arena reuses input bytes once they are read.
            for (int i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].Codes is { } codes) codes.CopyTo(session.InputInt8(i));
                else session.WriteInput(i, inputs[i].Data);
            }
            session.Run();
            double ms = clock.Elapsed.TotalMilliseconds;
            if (r == 0) first = ms;
            total += ms;
        }
        for (int o = 0; o < outputs.Length; o++) session.OutputFloat(o).CopyTo(outputs[o]);
        return new RunResult(outputs, prepareMs, first, total / runs, session.ArenaBytes);
    }

    /// <summary>Writes output_i.pb files. Everything is encoded before the first file is touched, and each file goes
    /// through a temporary name, so a failure never leaves a half-written output behind.</summary>
    private static List<string> WriteOutputs(string directory, List<OutputReport> reports)
    {
        var encoded = reports.Select(r => TensorProtoIo.ToBytes(TensorData.FromFloats(r.Info.Shape, r.Data), r.Info.Name)).ToList();
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        for (int i = 0; i < encoded.Count; i++)
        {
            string path = Path.Combine(directory, $"output_{i}.pb");
            string temp = path + ".tmp";
            File.WriteAllBytes(temp, encoded[i]);
            File.Move(temp, path, overwrite: true);
            written.Add(path);
        }
        return written;
    }
}
