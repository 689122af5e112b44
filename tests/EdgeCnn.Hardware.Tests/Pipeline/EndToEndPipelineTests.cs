using System.Device.Gpio;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCnn.Compiler;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Hardware.Tests.Backends;
using EdgeCnn.Hardware.Tests.Fakes;
using EdgeCnn.Runtime;
using StbImageSharp;

namespace EdgeCnn.Hardware.Tests.Pipeline;

/// <summary>
/// The whole pipeline with the real parts and a fake GPIO chip: edges on GPIO 17 (with contact bounce inside the
/// debounce window) trigger captures from a folder camera over the default model's ten samples, the native backend
/// classifies them, the JSON lines are parsed and compared with an independent run of the same model on the same
/// images, and GPIO 27 follows "Sneaker &gt;= 0.8".
/// </summary>
public sealed class EndToEndPipelineTests
{
    private const int TriggerPin = 17;
    private const int LedPin = 27;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(120);

    /// <summary>What <c>edgecnn run</c> computes for an image of the default model: luma / 255 into a session, argmax.</summary>
    private static (int Class, float[] Logits) ReferenceRun(Session session, string png)
    {
        var gray = ImageResult.FromMemory(File.ReadAllBytes(png), ColorComponents.Grey);
        Assert.Equal((28, 28), (gray.Height, gray.Width));
        var input = gray.Data.Select(p => p / 255f).ToArray();
        session.WriteInput(0, input);
        session.Run();
        var logits = session.OutputFloat(0).ToArray();
        return (BackendTestMaterial.ArgMax(logits), logits);
    }

    [Fact]
    public void Gpio_edges_capture_classify_report_json_lines_and_drive_the_output_pin()
    {
        string[] labels = File.ReadAllLines(Path.Combine(BackendTestMaterial.Root, "models", "fashion-mnist", "labels.txt"));
        string[] files = Directory.GetFiles(BackendTestMaterial.SamplesDirectory, "*.png").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(10, files.Length);

        var model = ModelCompiler.Compile(BackendTestMaterial.FashionOnnx);
        using var reference = new Session(model);
        var expected = files.Select(f => ReferenceRun(reference, f)).ToArray();

        var clock = new ManualTimeProvider();
        var gpio = new FakeGpioDriver(clock: clock);
        var trigger = TriggerSpecParser.Create($"gpio:{TriggerPin}:rising:50ms", new TriggerEnvironment { GpioDriverFactory = gpio.Factory, Time = clock });
        var camera = new FolderFrameSource(new FolderCameraOptions(BackendTestMaterial.SamplesDirectory, Cycle: false));
        camera.Open();
        var backend = new NativeBackend(model);
        var input = FramePreprocessor.For(backend);
        var json = new MemoryStream();
        var led = new GpioOutputSink(new GpioOutputOptions(0, LedPin, "Sneaker", 0.8f), gpio.Factory);
        var ledLevels = new LevelProbe(gpio, LedPin);
        using var pipeline = new CapturePipeline(trigger, camera, input, backend, [new JsonLinesSink(json), led, ledLevels],
            new PipelineOptions { Labels = labels, TopK = 3, MaxTriggers = 10 });
        pipeline.Start();
        Assert.True(gpio.IsOpen(TriggerPin) && gpio.IsOpen(LedPin));
        using var cancel = new CancellationTokenSource(Guard);
        var run = Task.Factory.StartNew(() => pipeline.Run(cancel.Token), TaskCreationOptions.LongRunning);

        for (int i = 0; i < files.Length; i++)
        {
            var press = TimeSpan.FromMilliseconds(1000 * (i + 1));
            Assert.Equal(1, gpio.RaiseEdgeAt(TriggerPin, PinEventTypes.Rising, press));
            // The contact bounces 5 ms and 20 ms later: inside the 50 ms window, so no further capture.
            gpio.RaiseEdgeAt(TriggerPin, PinEventTypes.Falling, press + TimeSpan.FromMilliseconds(2));
            gpio.RaiseEdgeAt(TriggerPin, PinEventTypes.Rising, press + TimeSpan.FromMilliseconds(5));
            gpio.RaiseEdgeAt(TriggerPin, PinEventTypes.Rising, press + TimeSpan.FromMilliseconds(20));
            int handled = i + 1;
            Assert.True(SpinWait.SpinUntil(() => ledLevels.Count >= handled || run.IsCompleted, Guard), $"press {handled} was not handled");
        }
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();

        Assert.Equal(10, summary.Triggers);
        Assert.Equal(10, summary.Processed);
        Assert.Equal(0, summary.Dropped);
        var lines = Encoding.UTF8.GetString(json.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(10, lines.Length);
        bool ledWasHigh = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            Assert.Equal(Path.GetFileName(files[i]), (string?)line["frame"]!["name"]);
            Assert.Equal($"gpio:{TriggerPin}:rising:50ms", (string?)line["trigger"]!["source"]);
            Assert.Equal(i + 1, (long)line["trigger"]!["sequence"]!);
            var top = line["top"]!.AsArray();
            Assert.Equal(3, top.Count);
            int predicted = (int)top[0]!["class"]!;
            Assert.Equal(expected[i].Class, predicted);
            Assert.Equal(labels[predicted], (string?)top[0]!["label"]);
            // The samples are named after their class, and the trained model gets all ten right.
            Assert.StartsWith($"{predicted}-", Path.GetFileName(files[i]));
            var logits = expected[i].Logits;
            double softmax = 1 / logits.Sum(v => Math.Exp(v - logits[predicted]));
            Assert.Equal(softmax, (double)top[0]!["score"]!, 4);
            Assert.True((double)line["latency"]!["inference_ms"]! >= 0);

            // The LED follows this result: high exactly when Sneaker is listed with a score of at least 0.8.
            bool sneakerHigh = top.Any(t => (string?)t!["label"] == "Sneaker" && (double)t!["score"]! >= 0.8);
            Assert.Equal(sneakerHigh, ledLevels.Levels[i]);
            ledWasHigh |= sneakerHigh;
        }
        Assert.True(ledWasHigh, "the sneaker sample never drove the LED high");

        pipeline.Dispose();
        Assert.False(gpio.IsOpen(TriggerPin));
        Assert.False(gpio.IsOpen(LedPin));
    }

    /// <summary>Records the LED pin's level after each result (it runs after the output sink).</summary>
    private sealed class LevelProbe(FakeGpioDriver gpio, int pin) : IResultSink
    {
        private readonly List<bool> _levels = [];

        public int Count
        {
            get { lock (_levels) return _levels.Count; }
        }

        public bool[] Levels
        {
            get { lock (_levels) return [.. _levels]; }
        }

        public void Write(InferenceResult result)
        {
            bool high = gpio.LevelOf(pin) == PinValue.High;
            lock (_levels) _levels.Add(high);
        }

        public void Dispose() { }
    }
}
