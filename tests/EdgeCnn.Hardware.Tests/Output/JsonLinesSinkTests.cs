using System.Text;
using System.Text.Json.Nodes;
using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Output;

public sealed class JsonLinesSinkTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 23, 19, 45, 12, 345, TimeSpan.Zero);

    private static InferenceResult Result() => new()
    {
        Trigger = new TriggerEvent("gpio:17:rising:50ms", When, 7),
        FrameSequence = 42,
        FrameName = "3-dress.png",
        TopK = [new ClassScore(3, "Dress", 0.875f), new ClassScore(6, "Shirt \"loose\"", 0.125f), new ClassScore(0, "unused", 0f)],
        TopKCount = 2,
        CaptureMs = 1.25,
        PreprocessMs = 0.5,
        InferenceMs = 2.0004,
        DroppedSinceLast = 2,
        SavedFramePath = "/tmp/frames/frame-1.png",
    };

    private static JsonNode[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();

    [Fact]
    public void A_result_is_one_line_with_every_field()
    {
        var stream = new MemoryStream();
        using (var sink = new JsonLinesSink(stream)) sink.Write(Result());
        string text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.EndsWith("\n", text);
        var line = Assert.Single(Lines(text));

        Assert.Equal(When, DateTimeOffset.Parse((string)line["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("gpio:17:rising:50ms", (string?)line["trigger"]!["source"]);
        Assert.Equal(7, (long)line["trigger"]!["sequence"]!);
        Assert.Equal("3-dress.png", (string?)line["frame"]!["name"]);
        Assert.Equal(42, (long)line["frame"]!["sequence"]!);
        var top = line["top"]!.AsArray();
        Assert.Equal(2, top.Count);
        Assert.Equal(3, (int)top[0]!["class"]!);
        Assert.Equal("Dress", (string?)top[0]!["label"]);
        Assert.Equal(0.875f, (float)top[0]!["score"]!);
        Assert.Equal("Shirt \"loose\"", (string?)top[1]!["label"]);
        var latency = line["latency"]!;
        Assert.Equal(1.25, (double)latency["capture_ms"]!);
        Assert.Equal(0.5, (double)latency["preprocess_ms"]!);
        Assert.Equal(2.0, (double)latency["inference_ms"]!);
        Assert.Equal(3.75, (double)latency["total_ms"]!);
        Assert.Equal(2, (long)line["dropped"]!);
        Assert.Equal("/tmp/frames/frame-1.png", (string?)line["saved_frame"]);
    }

    [Fact]
    public void Error_and_summary_lines_follow_results_and_a_text_writer_gets_the_same_text()
    {
        var stream = new MemoryStream();
        var writer = new StringWriter();
        var error = new PipelineError(When, "capture", "/dev/video0: VIDIOC_DQBUF: EIO", new TriggerEvent("interval:1s", When, 3), 2, 400);
        var summary = new PipelineSummary(10, 7, 2, 1, 3, 0, 0, 1.5, 0.25, 4, 6);
        foreach (var sink in new[] { new JsonLinesSink(stream), new JsonLinesSink(writer) })
        {
            using (sink)
            {
                sink.Write(Result());
                sink.WriteError(error);
                sink.WriteSummary(summary);
            }
        }
        string text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(text, writer.ToString());
        var lines = Lines(text);
        Assert.Equal(3, lines.Length);
        var e = lines[1]["error"]!;
        Assert.Equal("capture", (string?)e["stage"]);
        Assert.Equal("/dev/video0: VIDIOC_DQBUF: EIO", (string?)e["message"]);
        Assert.Equal(3, (long)e["trigger"]!["sequence"]!);
        Assert.Equal(2, (int)e["attempt"]!);
        Assert.Equal(400.0, (double)e["retry_in_ms"]!);
        var s = lines[2]["summary"]!;
        Assert.Equal(10, (long)s["triggers"]!);
        Assert.Equal(7, (long)s["processed"]!);
        Assert.Equal(2, (long)s["dropped"]!);
        Assert.Equal(1, (long)s["capture_failures"]!);
        Assert.Equal(6.0, (double)s["median_latency"]!["total_ms"]!);
    }

    [Fact]
    public void Missing_frame_name_and_saved_frame_are_null()
    {
        var result = Result();
        result.FrameName = null;
        result.SavedFramePath = null;
        var writer = new StringWriter();
        using (var sink = new JsonLinesSink(writer)) sink.Write(result);
        var line = Assert.Single(Lines(writer.ToString()));
        Assert.Null(line["frame"]!["name"]);
        Assert.True(line.AsObject().ContainsKey("saved_frame"));
        Assert.Null(line["saved_frame"]);
    }

    [Fact]
    public void Writing_a_result_allocates_nothing_once_warm()
    {
        var stream = new MemoryStream(1 << 20);
        using var sink = new JsonLinesSink(stream);
        var result = Result();
        for (int i = 0; i < 10; i++) sink.Write(result);
        stream.Position = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) sink.Write(result);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
