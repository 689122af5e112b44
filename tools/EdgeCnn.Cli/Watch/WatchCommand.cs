using System.CommandLine;
using System.Globalization;
using EdgeCnn.Cli.Benchmarking;
using EdgeCnn.Cli.Commands;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Output;
using EdgeCnn.Hardware;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Watch;

/// <summary>
/// <c>edgecnn watch --model M --camera SPEC --trigger SPEC [--out-pin N --out-class NAME --threshold T] ...</c>: the
/// on-device loop. Every option is checked first (exit 2), then the backend, camera, output pin and trigger are opened
/// (a missing /dev/gpiochipN, a pin in use or an absent camera fail here with exit 1 and one line naming the device),
/// a startup summary is printed, and results stream as text or JSON lines until Ctrl+C, SIGTERM or --max-triggers;
/// the pipeline then releases its pins and camera and the run summary is printed.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model: .ecnn, or .onnx (compiled in memory for the native runtime)", Required = true };
        var camera = new Option<string>("--camera", "-c")
        {
            Description = "Frame source: v4l2:/dev/video0[:WxH][:yuyv|mjpeg], rpicam[:WxH], folder:DIR, file:PATH",
            Required = true,
        };
        var trigger = new Option<string>("--trigger")
        {
            Description = "What starts a capture: gpio:[chipN:]PIN[:rising|falling|both][:DEBOUNCE][:pull-up|pull-down], interval:1s, manual (a line on stdin)",
            Required = true,
        };
        var outPin = new Option<int?>("--out-pin") { Description = "GPIO output (BCM number) held high while --out-class scores at least --threshold" };
        var outClass = new Option<string?>("--out-class") { Description = "The class driving --out-pin: a label from --labels or a class index" };
        var threshold = new Option<float>("--threshold") { Description = "Score (0..1) at which --out-pin goes high", DefaultValueFactory = _ => 0.5f };
        var gpioChip = new Option<int>("--gpio-chip") { Description = "GPIO chip for pins given without one (/dev/gpiochipN; 4 on a Pi 5 with an older kernel)", DefaultValueFactory = _ => 0 };
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line (line i names class i)" };
        var backend = new Option<string>("--backend") { Description = "auto (ONNX Runtime with CUDA where present, else native), native or ort", DefaultValueFactory = _ => "auto" };
        var topK = new Option<int>("--top-k", "-k") { Description = "Classes per result", DefaultValueFactory = _ => 5 };
        var saveFrames = new Option<string?>("--save-frames") { Description = "Save every captured frame into DIR (JPEG/PNG as captured, raw frames as PPM/PGM)" };
        var maxSaved = new Option<int>("--max-saved") { Description = "Frames kept in --save-frames; the oldest are deleted", DefaultValueFactory = _ => 1000 };
        var kernelPath = new Option<string?>("--kernel-path") { Description = $"Native kernel path: {string.Join("|", Enum.GetValues<KernelPath>().Select(KernelPathNames.Name))} (default: the best this CPU runs)" };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads per inference", DefaultValueFactory = _ => 1 };
        var maxTriggers = new Option<long?>("--max-triggers") { Description = "Stop after this many triggers (dropped ones included) once the accepted ones are handled; for scripted runs" };
        var json = CommonOptions.Json();
        var preprocessing = new PreprocessingOptions();
        var command = new Command("watch", "Capture on a trigger (GPIO edge, interval, Enter), classify each frame and report it as text or JSON lines; optionally drive a GPIO output; runs until Ctrl+C or SIGTERM")
        {
            model, camera, trigger, outPin, outClass, threshold, gpioChip, labels, backend, topK, saveFrames, maxSaved,
            kernelPath, threads, maxTriggers, json,
        };
        preprocessing.AddTo(command);

        CommandAction.Set(command, context, verbose, parse =>
        {
            var request = new WatchRequest
            {
                Model = parse.GetValue(model)!,
                CameraSpec = ParseCamera(parse.GetValue(camera)!),
                TriggerSpec = ParseTrigger(parse.GetValue(trigger)!),
                OutPin = parse.GetValue(outPin),
                OutClass = parse.GetValue(outClass),
                Threshold = parse.GetValue(threshold),
                GpioChip = parse.GetValue(gpioChip),
                Labels = parse.GetValue(labels) is { } labelPath ? LabelFile.Read(labelPath) : [],
                Backend = parse.GetValue(backend)!,
                TopK = parse.GetValue(topK),
                SaveFrames = parse.GetValue(saveFrames),
                MaxSaved = parse.GetValue(maxSaved),
                KernelPath = parse.GetValue(kernelPath) is { } path ? KernelPathNames.Parse([path], CpuFeatures.Current)[0] : null,
                Threads = parse.GetValue(threads),
                MaxTriggers = parse.GetValue(maxTriggers),
                Json = parse.GetValue(json),
                Preprocessing = preprocessing.Parse(parse),
            };
            request.Validate();
            try
            {
                return WatchRun.Execute(context, request, WatchEnvironment.Current);
            }
            catch (HardwareException ex)
            {
                // A device problem, not a bug: one line naming the device (exit 1), the trace only with --verbose.
                context.Error.WriteLine($"edgecnn: error: {ex.Message.ReplaceLineEndings(" ")}");
                if (parse.GetValue(verbose)) context.Error.WriteLine(ex.ToString());
                return CommandAction.Failure;
            }
        });
        return command;
    }

    private static CameraSpec ParseCamera(string text)
    {
        try
        {
            return CameraSpec.Parse(text);
        }
        catch (CameraSpecException ex)
        {
            throw new UsageException($"--camera '{text}': {ex.Message}");
        }
    }

    private static TriggerSpec ParseTrigger(string text)
    {
        try
        {
            return TriggerSpecParser.Parse(text);
        }
        catch (TriggerSpecException ex)
        {
            throw new UsageException($"--trigger '{text}': {ex.Message}");
        }
    }
}

/// <summary>The checked options of one <c>edgecnn watch</c>.</summary>
internal sealed class WatchRequest
{
    public required string Model { get; init; }
    public required CameraSpec CameraSpec { get; init; }
    public required TriggerSpec TriggerSpec { get; init; }
    public int? OutPin { get; init; }
    public string? OutClass { get; init; }
    public float Threshold { get; init; }
    public int GpioChip { get; init; }
    public required string[] Labels { get; init; }
    public required string Backend { get; init; }
    public int TopK { get; init; }
    public string? SaveFrames { get; init; }
    public int MaxSaved { get; init; }
    public KernelPath? KernelPath { get; init; }
    public int Threads { get; init; }
    public long? MaxTriggers { get; init; }
    public bool Json { get; init; }
    public required ResolvedPreprocessing Preprocessing { get; init; }

    /// <exception cref="UsageException">A value out of range or options that only make sense together.</exception>
    public void Validate()
    {
        if (TopK < 1) throw new UsageException($"--top-k {TopK}: must be at least 1");
        if (Threads < 1) throw new UsageException($"--threads {Threads}: must be at least 1");
        if (MaxSaved < 1) throw new UsageException($"--max-saved {MaxSaved}: must be at least 1");
        if (MaxTriggers is < 1) throw new UsageException($"--max-triggers {MaxTriggers}: must be at least 1");
        if (GpioChip < 0) throw new UsageException($"--gpio-chip {GpioChip}: must not be negative");
        if (!float.IsFinite(Threshold) || Threshold < 0f || Threshold > 1f)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--threshold {Threshold}: must be a score between 0 and 1"));
        if (OutPin is < 0) throw new UsageException($"--out-pin {OutPin}: must not be negative");
        if (OutPin is not null && string.IsNullOrWhiteSpace(OutClass))
            throw new UsageException("--out-pin needs --out-class (the class that drives it)");
        if (OutPin is null && OutClass is not null)
            throw new UsageException("--out-class needs --out-pin (the GPIO output it drives)");
        if (OutClass is not null && !IsClassIndex(OutClass) && !Labels.Contains(OutClass, StringComparer.OrdinalIgnoreCase))
            throw new UsageException(Labels.Length == 0
                ? $"--out-class '{OutClass}': without --labels, name the class by its index"
                : $"--out-class '{OutClass}': not one of the {Labels.Length} labels");
    }

    private static bool IsClassIndex(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    public SessionOptions NativeOptions => new() { KernelPath = KernelPath, ThreadCount = Threads };
}
