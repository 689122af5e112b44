using System.Text.Json.Nodes;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Commands;

/// <summary>The model header every command prints: where it came from, its inputs and outputs.</summary>
internal static class ModelSummary
{
    public static void Write(CliContext context, LoadedModel loaded)
    {
        var model = loaded.Model;
        context.Out.WriteLine($"model    {loaded.Source} ({KindText(loaded.Kind)}, loaded in {Units.Milliseconds(loaded.LoadMilliseconds)})");
        foreach (var i in model.Inputs)
            context.Out.WriteLine($"input    {Describe(model.Tensors[i])}");
        foreach (var o in model.Outputs)
            context.Out.WriteLine($"output   {Describe(model.Tensors[o])}");
    }

    public static JsonObject ToJson(LoadedModel loaded) => new()
    {
        ["model"] = loaded.Source,
        ["format"] = KindText(loaded.Kind),
        ["loadMs"] = loaded.LoadMilliseconds,
        ["inputs"] = Tensors(loaded.Model, loaded.Model.Inputs),
        ["outputs"] = Tensors(loaded.Model, loaded.Model.Outputs),
    };

    public static JsonArray ShapeJson(IEnumerable<int> shape) => new(shape.Select(d => (JsonNode)d).ToArray());

    private static JsonArray Tensors(CompiledModel model, int[] indices) =>
        new(indices.Select(i => (JsonNode)new JsonObject
        {
            ["name"] = model.Tensors[i].Name,
            ["shape"] = ShapeJson(model.Tensors[i].Shape),
            ["type"] = model.Tensors[i].Type.ToString(),
        }).ToArray());

    private static string Describe(TensorInfo t) => $"{t.Name} {Units.Shape(t.Shape)} {t.Type}";

    private static string KindText(ModelKind kind) => kind switch
    {
        ModelKind.Onnx => "onnx, compiled in memory",
        ModelKind.Ecnn => "ecnn",
        _ => "embedded default model, compiled in memory",
    };
}
