using System.Text;
using System.Text.Json.Nodes;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Cli.Watch;
using EdgeCnn.Hardware.Gpio;
using EdgeCnn.Hardware.Tests.Fakes;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn watch</c> in process: a scripted run (manual trigger fed one line per handled frame, folder
/// camera over the default model's samples) checked against <c>edgecnn run</c>, and the startup errors.</summary>
public sealed class WatchCommandTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(120);
    private static string FashionDirectory => RepositoryPaths.FashionMnistDirectory;
    private static string FashionOnnx => Path.Combine(FashionDirectory, "fashion-mnist-dwsep.onnx");
    private static string Labels => Path.Combine(FashionDirectory, "labels.txt");
    private static string Samples => Path.Combine(FashionDirectory, "samples");

    /// <param name="gpio">The GPIO chips; null for the machine's (libgpiod).</param>
    /// <param name="pacedLines">Lines the manual trigger reads, each once the previous frame is reported.</param>
    private static (int Code, string Output, string Error) Watch(FakeGpioDriver? gpio, int pacedLines, params string[] args) =>
        Watch(gpio, pacedLines, new LineCountingWriter(), CancellationToken.None, args);

    private static (int Code, string Output, string Error) Watch(FakeGpioDriver? gpio, int pacedLines, LineCountingWriter output,
        CancellationToken stop, params string[] args)
    {
        var error = new StringWriter();
        var environment = new WatchEnvironment
        {
            GpioDriverFactory = gpio?.Factory ?? LibGpiodChip.Factory,
            Input = pacedLines > 0 ? new PacedLines(pacedLines, output) : null,
            HandleSignals = false,
            Stop = stop,
        };
        int code;
        using (WatchEnvironment.Use(environment))
            code = EdgeCnnCli.Run(["watch", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_scripted_run_reports_one_json_line_per_sample_with_the_top_class_of_edgecnn_run()
    {
        var (code, output, error) = Watch(null, 10,
            "--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "manual", "--labels", Labels,
            "--backend", "native", "--top-k", "3", "--max-triggers", "10", "--json");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(12, lines.Length);

        var startup = lines[0]["startup"]!;
        Assert.Equal("native", (string?)startup["backend"]!["name"]);
        Assert.Equal("manual", (string?)startup["trigger"]);
        Assert.Contains("EncodedFile", (string?)startup["camera"]!["format"]);
        Assert.False(string.IsNullOrEmpty((string?)startup["kernel_path"]));

        string[] files = Directory.GetFiles(Samples, "*.png").Order(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < files.Length; i++)
        {
            var result = lines[i + 1];
            Assert.Equal(Path.GetFileName(files[i]), (string?)result["frame"]!["name"]);
            var run = CliRun.Invoke("run", FashionOnnx, "--input", files[i], "--labels", Labels, "--json").Json();
            var expected = run["results"]![0]!["top"]![0]!;
            var top = result["top"]![0]!;
            Assert.Equal((int)expected["index"]!, (int)top["class"]!);
            Assert.Equal((string?)expected["label"], (string?)top["label"]);
        }
        var summary = lines[11]["summary"]!;
        Assert.Equal(10, (long)summary["processed"]!);
        Assert.Equal(0, (long)summary["dropped"]!);
        Assert.NotNull(summary["median_latency"]!["total_ms"]);
    }

    [Fact]
    public void Stopping_a_run_releases_the_pins_and_ends_with_the_summary_and_exit_code_0()
    {
        var gpio = new FakeGpioDriver();
        var output = new LineCountingWriter();
        using var stop = new CancellationTokenSource();
        var run = Task.Factory.StartNew(() => Watch(gpio, 0, output, stop.Token,
            "--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "interval:10ms", "--labels", Labels,
            "--backend", "native", "--out-pin", "27", "--out-class", "T-shirt/top", "--threshold", "0.5"), TaskCreationOptions.LongRunning);
        // The startup summary (9 text lines) and at least two results, then the stop a signal would cause.
        Assert.True(SpinWait.SpinUntil(() => output.Lines >= 11 || run.IsCompleted, Guard), "no results came");
        Assert.True(gpio.IsOpen(27));
        stop.Cancel();
        var (code, text, error) = run.WaitAsync(Guard).GetAwaiter().GetResult();

        Assert.True(code == 0, error);
        Assert.Contains("output   GPIO pin 27 on /dev/gpiochip0", text);
        Assert.Contains("#1 interval:10ms  frame 0 (0-t-shirt-top.png)  T-shirt/top", text);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("summary  triggers ", lines[^2]);
        Assert.StartsWith("latency  median capture ", lines[^1]);
        // The first sample is a T-shirt: the LED went high on it, and was written low and released at shutdown.
        Assert.Contains(gpio.Writes, w => w.Pin == 27 && w.Value == System.Device.Gpio.PinValue.High);
        Assert.False(gpio.IsOpen(27));
    }

    [Fact]
    public void An_output_pin_in_use_fails_at_startup_naming_it_and_releases_what_was_opened()
    {
        var gpio = new FakeGpioDriver();
        gpio.SimulatePinInUse(27, "gpioset");
        var (code, output, error) = Watch(gpio, 0,
            "--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "gpio:17", "--labels", Labels,
            "--backend", "native", "--out-pin", "27", "--out-class", "Sneaker");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("27", error);
        Assert.StartsWith("edgecnn: error: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(gpio.IsOpen(17));
        Assert.False(gpio.IsOpen(27));
    }

    [Fact]
    public void A_trigger_pin_in_use_fails_at_startup_and_the_output_pin_opened_before_it_is_released()
    {
        var gpio = new FakeGpioDriver();
        gpio.SimulatePinInUse(17);
        var (code, output, error) = Watch(gpio, 0,
            "--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "gpio:17:falling:50ms:pull-up", "--labels", Labels,
            "--backend", "native", "--out-pin", "27", "--out-class", "7");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("17", error);
        Assert.False(gpio.IsOpen(27));
    }

    [Fact]
    public void A_missing_gpio_chip_is_a_startup_error_naming_the_device()
    {
        // The real libgpiod driver: no machine running the tests has a hundredth GPIO chip.
        var (code, output, error) = Watch(null, 0,
            "--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "gpio:chip99:17", "--backend", "native");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("/dev/gpiochip99", error);
    }

    [Theory]
    [InlineData("--out-pin 27", "--out-pin needs --out-class")]
    [InlineData("--out-class Sneaker", "--out-class needs --out-pin")]
    [InlineData("--out-pin 27 --out-class Bicycle", "--out-class 'Bicycle': not one of the 10 labels")]
    [InlineData("--out-pin 27 --out-class 7 --threshold 1.5", "--threshold 1.5")]
    [InlineData("--top-k 0", "--top-k 0")]
    [InlineData("--trigger-extra", "--trigger-extra")]
    public void Bad_options_are_usage_errors_before_anything_is_opened(string extra, string mentions)
    {
        var gpio = new FakeGpioDriver();
        string[] args = ["--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "gpio:17", "--labels", Labels, .. extra.Split(' ')];
        var (code, output, error) = Watch(gpio, 0, args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(mentions, error);
        Assert.Empty(gpio.OpenedChips);
    }

    [Fact]
    public void A_bad_trigger_spec_is_a_usage_error_naming_the_option()
    {
        var (code, _, error) = Watch(null, 0,
            "--model", FashionOnnx, "--camera", $"folder:{Samples}", "--trigger", "gpio:seventeen");
        Assert.Equal(2, code);
        Assert.Contains("--trigger 'gpio:seventeen'", error);
    }

    /// <summary>Counts the lines written (the startup line, then one per result) for <see cref="PacedLines"/>.</summary>
    private sealed class LineCountingWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private int _lines;

        public override Encoding Encoding => Encoding.UTF8;

        public int Lines => Volatile.Read(ref _lines);

        public override void Write(char value)
        {
            lock (_text) _text.Append(value);
            if (value == '\n') Interlocked.Increment(ref _lines);
        }

        public override string ToString()
        {
            lock (_text) return _text.ToString();
        }
    }

    /// <summary>Stdin for the manual trigger, one Enter per handled frame: line n is given only once the output holds
    /// the startup line and n − 1 results, so no trigger arrives while the pipeline is busy and none is dropped.</summary>
    private sealed class PacedLines(int count, LineCountingWriter output) : TextReader
    {
        private int _given;

        public override string? ReadLine()
        {
            if (_given == count) return null;
            int needed = 1 + _given;
            if (!SpinWait.SpinUntil(() => output.Lines >= needed, Guard)) return null;
            _given++;
            return "";
        }
    }
}
