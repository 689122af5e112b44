using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Analysis;
using EdgeCnn.Compiler.Writer;

namespace EdgeCnn.Cli.Commands;

/// <summary><c>edgecnn compile MODEL.onnx -o MODEL.ecnn</c>: import, optimize, lower and write the model file.</summary>
internal static class CompileCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = CommonOptions.Model("The ONNX model to compile");
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the .ecnn model file",
            Required = true,
        };
        var inputShape = CommonOptions.InputShape();
        var noOptimize = CommonOptions.NoOptimize();
        var json = CommonOptions.Json();
        var command = new Command("compile", "Compile an ONNX model into an .ecnn model file")
        {
            model, output, inputShape, noOptimize, json,
        };
        CommandAction.Set(command, context, verbose, parse =>
        {
            string source = parse.GetRequiredValue(model);
            string target = parse.GetRequiredValue(output);
            var shapes = OptionValues.ParseInputShapes(parse.GetValue(inputShape) ?? []);
            if (ModelLoader.KindOf(source) != ModelKind.Onnx)
                throw new UsageException($"compile reads an .onnx model; '{source}' is already compiled");
            if (!string.Equals(Path.GetExtension(target), ".ecnn", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--output '{target}': the model file must end in .ecnn");

            var loaded = context.WithStatus("compiling", () => ModelLoader.Load(source, shapes, !parse.GetValue(noOptimize)));
            var clock = Stopwatch.StartNew();
            string? folder = Path.GetDirectoryName(Path.GetFullPath(target));
            if (folder is not null) Directory.CreateDirectory(folder);
            long bytes = ModelWriter.Save(loaded.Model, target);
            double writeMs = clock.Elapsed.TotalMilliseconds;
            var stats = ModelAnalyzer.Analyze(loaded.Model);

            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonObject
                {
                    ["model"] = source,
                    ["output"] = target,
                    ["bytes"] = bytes,
                    ["ops"] = loaded.Model.Ops.Length,
                    ["tensors"] = loaded.Model.Tensors.Length,
                    ["params"] = stats.Params,
                    ["weightBytes"] = stats.WeightBytes,
                    ["macs"] = stats.Macs,
                    ["compileMs"] = loaded.LoadMilliseconds,
                    ["writeMs"] = writeMs,
                });
            }
            else
            {
                context.Out.WriteLine($"compiled {source} in {Units.Milliseconds(loaded.LoadMilliseconds)}");
                context.Out.WriteLine($"wrote    {target}: {Units.Count(bytes)} bytes ({Units.Bytes(bytes)})");
                context.Out.WriteLine($"ops      {loaded.Model.Ops.Length} ({loaded.Model.Tensors.Length} tensors)");
                context.Out.WriteLine($"params   {Units.Count(stats.Params)} ({Units.Bytes(stats.WeightBytes)} of constants)");
                context.Out.WriteLine($"MACs     {Units.Count(stats.Macs)} ({Units.Short(stats.Macs)})");
            }
            return CommandAction.Success;
        });
        return command;
    }
}
