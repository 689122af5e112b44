using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Output;
using EdgeCnn.Models.Zoo;
using Spectre.Console;

namespace EdgeCnn.Cli.Commands;

/// <summary><c>edgecnn zoo list</c> and <c>edgecnn zoo export NAME -o FILE.onnx</c>: the classic architectures
/// of models/EdgeCnn.Models as ONNX files with seeded random (untrained) weights.</summary>
internal static class ZooCommand
{
    public static Command Create(CliContext context, Option<bool> verbose) =>
        new("zoo", "List the model zoo's architectures or export one as an ONNX model (random weights, untrained)")
        {
            CreateList(context, verbose),
            CreateExport(context, verbose),
        };

    private static Command CreateList(CliContext context, Option<bool> verbose)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the architectures with their standard configuration") { json };
        CommandAction.Set(command, context, verbose, parse =>
        {
            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonObject
                {
                    ["models"] = new JsonArray(ModelZoo.Entries.Select(e => (JsonNode)new JsonObject
                    {
                        ["name"] = e.Name,
                        ["description"] = e.Description,
                        ["defaults"] = ConfigJson(e.Defaults),
                    }).ToArray()),
                });
                return CommandAction.Success;
            }
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("name");
            table.AddColumn(new TableColumn("width").RightAligned());
            table.AddColumn(new TableColumn("resolution").RightAligned());
            table.AddColumn(new TableColumn("classes").RightAligned());
            table.AddColumn("description");
            foreach (var e in ModelZoo.Entries)
            {
                table.AddRow(
                    new Text(e.Name),
                    new Text(e.Defaults.Width.ToString(CultureInfo.InvariantCulture)),
                    new Text(e.Defaults.Resolution.ToString(CultureInfo.InvariantCulture)),
                    new Text(e.Defaults.Classes.ToString(CultureInfo.InvariantCulture)),
                    new Text(e.Description));
            }
            context.Console.Write(table);
            context.Out.WriteLine($"{ModelZoo.Entries.Count} architectures; 'edgecnn zoo export NAME -o NAME.onnx' writes one (seeded random weights, untrained)");
            return CommandAction.Success;
        });
        return command;
    }

    private static Command CreateExport(CliContext context, Option<bool> verbose)
    {
        var name = new Argument<string>("NAME") { Description = "The architecture ('edgecnn zoo list' names them)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the ONNX model", Required = true };
        var width = new Option<double>("--width") { Description = "Width multiplier for the channel counts (default: the architecture's standard 1)" };
        var resolution = new Option<int>("--resolution") { Description = "Input height and width in pixels (default: the architecture's standard)" };
        var classes = new Option<int>("--classes") { Description = "Number of output classes (default: the architecture's standard)" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weight generator (same seed, same bytes)" };
        var json = CommonOptions.Json();
        var command = new Command("export", "Write an architecture as an ONNX model with seeded random weights")
        {
            name, output, width, resolution, classes, seed, json,
        };
        CommandAction.Set(command, context, verbose, parse =>
        {
            string requested = parse.GetRequiredValue(name);
            var entry = ModelZoo.Find(requested)
                ?? throw new UsageException($"unknown model '{requested}' (one of: {string.Join(", ", ModelZoo.Names)})");
            string target = parse.GetRequiredValue(output);
            if (!string.Equals(Path.GetExtension(target), ".onnx", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--output '{target}': the model file must end in .onnx");
            var d = entry.Defaults;
            // An option left out keeps the architecture's standard value (each has its own defaults).
            T Value<T>(Option<T> option, T standard) => parse.GetResult(option) is null ? standard : parse.GetValue(option)!;
            var config = new ZooConfig(
                Value(width, d.Width), Value(resolution, d.Resolution), Value(classes, d.Classes), Value(seed, d.Seed));

            ZooModel model;
            try
            {
                model = context.WithStatus($"building {entry.Name}", () => entry.Build(config));
            }
            catch (ModelConfigException ex)
            {
                throw new UsageException(ex.Message);
            }
            AtomicFile.WriteAllBytes(target, model.Onnx);

            if (parse.GetValue(json))
            {
                context.WriteJson(new JsonObject
                {
                    ["model"] = model.Name,
                    ["output"] = target,
                    ["bytes"] = model.Onnx.Length,
                    ["config"] = ConfigJson(model.Config),
                    ["input"] = TensorJson(model.InputName, model.InputShape),
                    ["outputTensor"] = TensorJson(model.OutputName, model.OutputShape),
                });
            }
            else
            {
                context.Out.WriteLine($"wrote    {target}: {Units.Count(model.Onnx.Length)} bytes ({Units.Bytes(model.Onnx.Length)})");
                context.Out.WriteLine($"model    {model.Name} ({model.Config}); random weights, untrained");
                context.Out.WriteLine($"input    {model.InputName} {Units.Shape(model.InputShape)} Float32");
                context.Out.WriteLine($"output   {model.OutputName} {Units.Shape(model.OutputShape)} Float32");
            }
            return CommandAction.Success;
        });
        return command;
    }

    private static JsonObject ConfigJson(ZooConfig c) => new()
    {
        ["width"] = c.Width,
        ["resolution"] = c.Resolution,
        ["classes"] = c.Classes,
        ["seed"] = c.Seed,
    };

    private static JsonObject TensorJson(string name, int[] shape) => new()
    {
        ["name"] = name,
        ["shape"] = ModelSummary.ShapeJson(shape),
    };
}
