using System.Text.Json.Nodes;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Preprocessing;

namespace EdgeCnn.Cli.Watch;

/// <summary>What <c>edgecnn watch</c> prints once every device is open: model, backend (and why), kernel path, camera
/// and its negotiated format, trigger, output pin, preprocessing, frame saving. One JSON line with --json.</summary>
internal sealed record WatchStartup(WatchRequest Request, BackendSelection Selection, string KernelPath, IFrameSource Camera,
    FramePreprocessor Input, ITrigger Trigger, GpioOutputSink? Output, FrameSaver? Saver)
{
    private IInferenceBackend Backend => Selection.Backend;

    private string PreprocessingText
    {
        get
        {
            var p = Input.Preprocessing;
            string layout = Input.Layout.ToString();
            return $"{p.Height}x{p.Width}x{p.Channels} {layout}, {p.Fit}, mean [{string.Join(',', p.Mean)}], std [{string.Join(',', p.Std)}]"
                + (p.Bgr ? ", BGR" : "") + (p.Grayscale ? ", grayscale" : "") + (Backend.Input.IsInt8 ? ", quantized to int8" : "");
        }
    }

    public void WriteText(TextWriter output)
    {
        output.WriteLine($"model    {Request.Model}");
        output.WriteLine($"backend  {Backend.Name}: {Backend.Description}");
        foreach (var message in Selection.Messages) output.WriteLine($"         {message}");
        output.WriteLine($"kernels  {KernelPath}");
        output.WriteLine($"input    '{Backend.Input.Name}' [{string.Join(',', Backend.Input.Shape)}] {(Backend.Input.IsInt8 ? "int8" : "float32")}, {PreprocessingText}");
        output.WriteLine($"camera   {Camera.Description} ({Camera.Format})");
        output.WriteLine($"trigger  {Trigger.Description}");
        output.WriteLine($"output   {(Output is null ? "none" : Output.Description)}");
        if (Saver is not null) output.WriteLine($"frames   saved to {Saver.Directory} (at most {Saver.MaxFiles})");
        output.WriteLine(Request.MaxTriggers is { } max ? $"watching until {max} triggers" : "watching (Ctrl+C or SIGTERM stops)");
        output.Flush();
    }

    public void WriteJson(TextWriter output)
    {
        var startup = new JsonObject
        {
            ["model"] = Request.Model,
            ["backend"] = new JsonObject
            {
                ["name"] = Backend.Name,
                ["description"] = Backend.Description,
                ["messages"] = new JsonArray([.. Selection.Messages.Select(m => (JsonNode)JsonValue.Create(m))]),
            },
            ["kernel_path"] = KernelPath,
            ["input"] = new JsonObject
            {
                ["name"] = Backend.Input.Name,
                ["shape"] = new JsonArray([.. Backend.Input.Shape.Select(d => (JsonNode)JsonValue.Create(d))]),
                ["int8"] = Backend.Input.IsInt8,
                ["preprocessing"] = PreprocessingText,
            },
            ["camera"] = new JsonObject { ["description"] = Camera.Description, ["format"] = Camera.Format.ToString() },
            ["trigger"] = Trigger.Description,
            ["output_pin"] = Output is null ? null : new JsonObject
            {
                ["chip"] = Output.Options.Chip,
                ["pin"] = Output.Options.Pin,
                ["class"] = Output.Options.ClassName,
                ["threshold"] = Output.Options.Threshold,
            },
            ["labels"] = Request.Labels.Length,
            ["top_k"] = Request.TopK,
            ["save_frames"] = Saver?.Directory,
            ["max_triggers"] = Request.MaxTriggers,
        };
        output.WriteLine(new JsonObject { ["startup"] = startup }.ToJsonString());
        output.Flush();
    }
}
