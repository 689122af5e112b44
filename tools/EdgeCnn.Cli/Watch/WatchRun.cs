using System.Globalization;
using EdgeCnn.Cli.Benchmarking;
using EdgeCnn.Cli.Commands;
using EdgeCnn.Cli.Output;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Watch;

/// <summary>Opens the parts of a watch run in order (backend, preprocessing, camera, sinks, output pin, trigger), so the
/// first device that cannot be used stops the start with its own message, and everything opened so far is released.
/// Then runs the pipeline until it is stopped and prints the summary.</summary>
internal static class WatchRun
{
    public static int Execute(CliContext context, WatchRequest request, WatchEnvironment environment)
    {
        var opened = new Stack<IDisposable>();
        try
        {
            var selection = BackendChoice.Open(request.Backend, request.Model, request.NativeOptions, ortLog: context.Error);
            var backend = selection.Backend;
            opened.Push(backend);
            CheckOutClass(request, backend.OutputLength);
            var input = new FramePreprocessor(WatchPreprocessing.For(request.Preprocessing, backend.Input), backend.Input);

            var camera = CameraFactory.Create(request.CameraSpec);
            opened.Push(camera);
            camera.Open();

            var frameSaver = request.SaveFrames is { } directory ? new FrameSaver(directory, request.MaxSaved) : null;
            var sinks = new List<IResultSink>();
            JsonLinesSink? json = null;
            if (request.Json) sinks.Add(json = new JsonLinesSink(context.Out));
            else sinks.Add(new TextLinesSink(context.Out, Math.Min(3, request.TopK)));
            opened.Push(sinks[0]);
            GpioOutputSink? output = null;
            if (request.OutPin is { } pin)
            {
                output = new GpioOutputSink(new GpioOutputOptions(request.GpioChip, pin, request.OutClass!, request.Threshold), environment.GpioDriverFactory);
                opened.Push(output);
                sinks.Add(output);
            }

            var trigger = request.TriggerSpec.CreateTrigger(new TriggerEnvironment
            {
                GpioDriverFactory = environment.GpioDriverFactory,
                DefaultGpioChip = request.GpioChip,
                Time = environment.Time,
                Input = environment.Input,
            });
            opened.Push(trigger);

            var pipeline = new CapturePipeline(trigger, camera, input, backend, sinks, new PipelineOptions
            {
                TopK = request.TopK,
                Labels = request.Labels,
                MaxTriggers = request.MaxTriggers,
                Time = environment.Time,
                Log = context.Error,
                FrameSaver = frameSaver,
            });
            // From here the pipeline owns every part and releases them on dispose.
            opened.Clear();
            using (pipeline)
            {
                pipeline.Start();
                var startup = new WatchStartup(request, selection, KernelPathOf(request, backend), camera, input, trigger, output, frameSaver);
                if (request.Json) startup.WriteJson(context.Out);
                else startup.WriteText(context.Out);

                using var signals = new ShutdownSignals(environment.Stop, environment.HandleSignals);
                var summary = pipeline.Run(signals.Token);
                if (signals.Signal is { } signal) context.Error.WriteLine($"edgecnn watch: {signal} received, stopped");
                if (json is not null) json.WriteSummary(summary);
                else WriteSummary(context.Out, summary);
            }
            return CommandAction.Success;
        }
        finally
        {
            while (opened.Count > 0) opened.Pop().Dispose();
        }
    }

    private static void CheckOutClass(WatchRequest request, int classCount)
    {
        if (request.OutClass is { } name && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index >= classCount)
            throw new UsageException($"--out-class {index}: the model has {classCount} classes (0..{classCount - 1})");
    }

    /// <summary>The kernel path the native runtime runs (what it resolves the request to); ONNX Runtime has its own.</summary>
    private static string KernelPathOf(WatchRequest request, IInferenceBackend backend) =>
        backend is NativeBackend ? KernelPathNames.Name(CpuFeatures.Current.Resolve(request.KernelPath)) : "n/a (ONNX Runtime)";

    private static void WriteSummary(TextWriter output, PipelineSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c,
            $"summary  triggers {s.Triggers}, processed {s.Processed}, dropped {s.Dropped}, capture failures {s.CaptureFailures} ({s.CaptureErrors} failed attempts), other failures {s.OtherFailures}, sink errors {s.SinkErrors}"));
        if (s.MedianTotalMs is { } total)
            output.WriteLine(string.Create(c,
                $"latency  median capture {Units.Milliseconds(s.MedianCaptureMs ?? 0)}, preprocess {Units.Milliseconds(s.MedianPreprocessMs ?? 0)}, inference {Units.Milliseconds(s.MedianInferenceMs ?? 0)}, total {Units.Milliseconds(total)}"));
    }
}
