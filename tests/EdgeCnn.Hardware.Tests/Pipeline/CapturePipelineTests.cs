using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Tests.Pipeline.Fakes;

namespace EdgeCnn.Hardware.Tests.Pipeline;

/// <summary>The capture pipeline against hand-written fakes: drop accounting with a slow backend, camera retry with
/// backoff, survived preprocess/inference/sink failures, start failures, cancellation and disposal. Waits use generous
/// timeouts only as a guard against a hang; nothing asserts on time.</summary>
public sealed class CapturePipelineTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private static readonly string[] Labels = ["zero", "one", "two"];

    private static CapturePipeline Build(TestTrigger trigger, ScriptedCamera camera, ScriptedBackend backend, CopyingInputWriter input,
        PipelineOptions options, params IResultSink[] sinks) =>
        new(trigger, camera, input, backend, sinks, options);

    private static Task<PipelineSummary> RunInBackground(CapturePipeline pipeline, CancellationToken token) =>
        Task.Factory.StartNew(() => pipeline.Run(token), TaskCreationOptions.LongRunning);

    [Fact]
    public void Triggers_arriving_while_busy_fill_one_slot_and_the_rest_are_counted_as_dropped()
    {
        using var gate = new ManualResetEventSlim(false);
        var trigger = new TestTrigger();
        var camera = new ScriptedCamera();
        var backend = new ScriptedBackend(0f, 2f, 1f) { Gate = gate };
        var sink = new CollectingSink();
        using var pipeline = Build(trigger, camera, backend, new CopyingInputWriter(),
            new PipelineOptions { Labels = Labels, TopK = 2, MaxTriggers = 5, Time = new InstantDelayTimeProvider() }, sink);
        using var cancel = new CancellationTokenSource(Guard);
        pipeline.Start();
        var run = RunInBackground(pipeline, cancel.Token);

        trigger.Fire();
        Assert.True(backend.Entered.Wait(Guard), "the first trigger never reached inference");
        // The worker is stuck in inference: #2 waits in the slot, #3..#5 find it full. Each Fire returns at once.
        for (int i = 0; i < 4; i++) trigger.Fire();
        gate.Set();
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();

        Assert.Equal([1L, 2L], sink.Results.Select(r => r.Trigger.Sequence));
        Assert.Equal([0L, 3L], sink.Results.Select(r => r.Dropped));
        Assert.Equal(5, summary.Triggers);
        Assert.Equal(2, summary.Processed);
        Assert.Equal(3, summary.Dropped);
        Assert.Equal(2, backend.Runs);
        // top-2 of softmax(0, 2, 1): class 1 then class 2, from the labels.
        var top = sink.Results[0].Top;
        Assert.Equal(["one", "two"], top.Select(t => t.Label));
        double e0 = Math.Exp(0), e1 = Math.Exp(2), e2 = Math.Exp(1);
        Assert.Equal(e1 / (e0 + e1 + e2), top[0].Score, 5);
        Assert.Equal(e2 / (e0 + e1 + e2), top[1].Score, 5);
        Assert.True(trigger.StopCount >= 1, "the trigger was not stopped when the run ended");
    }

    [Fact]
    public void A_camera_failing_twice_is_retried_with_doubling_delays_reported_and_then_yields_a_result()
    {
        var time = new InstantDelayTimeProvider();
        var trigger = new TestTrigger();
        var camera = new ScriptedCamera { FailingCaptures = [1, 2] };
        var sink = new CollectingSink();
        var log = new StringWriter();
        var json = new MemoryStream();
        using var pipeline = Build(trigger, camera, new ScriptedBackend(1f, 0f, 0f), new CopyingInputWriter(),
            new PipelineOptions { Labels = Labels, MaxTriggers = 1, Time = time, Log = log,
                RetryInitialDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(5) },
            sink, new JsonLinesSink(json));
        using var cancel = new CancellationTokenSource(Guard);
        pipeline.Start();
        var run = RunInBackground(pipeline, cancel.Token);
        trigger.Fire();
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();

        Assert.Equal(3, camera.Captures);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], time.Delays);
        Assert.Equal([1, 2], sink.Errors.Select(e => e.Attempt));
        Assert.All(sink.Errors, e => Assert.Equal("capture", e.Stage));
        Assert.Equal([100.0, 200.0], sink.Errors.Select(e => e.RetryInMs ?? -1));
        var result = Assert.Single(sink.Results);
        Assert.Equal("zero", result.Top[0].Label);
        Assert.Equal(1, summary.Processed);
        Assert.Equal(2, summary.CaptureErrors);
        Assert.Equal(0, summary.CaptureFailures);
        string[] logLines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, logLines.Length);
        Assert.Contains("capture failed (trigger 1 from test, attempt 1): /dev/video9: VIDIOC_DQBUF failed", logLines[0]);
        Assert.Contains("retrying in 100 ms", logLines[0]);

        var lines = System.Text.Encoding.UTF8.GetString(json.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Equal("capture", (string?)lines[0]["error"]!["stage"]);
        Assert.Equal(200.0, (double)lines[1]["error"]!["retry_in_ms"]!);
        Assert.Equal("zero", (string?)lines[2]["top"]![0]!["label"]);
    }

    [Fact]
    public void A_trigger_is_given_up_after_the_last_attempt_and_the_next_trigger_is_still_served()
    {
        var time = new InstantDelayTimeProvider();
        var trigger = new TestTrigger();
        var camera = new ScriptedCamera { FailingCaptures = [1, 2, 3] };
        var sink = new CollectingSink();
        using var pipeline = Build(trigger, camera, new ScriptedBackend(0f, 0f, 1f), new CopyingInputWriter(),
            new PipelineOptions { Labels = Labels, MaxTriggers = 2, CaptureAttempts = 3, Time = time,
                RetryInitialDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(150) }, sink);
        using var cancel = new CancellationTokenSource(Guard);
        pipeline.Start();
        var run = RunInBackground(pipeline, cancel.Token);
        trigger.Fire();
        SpinWait.SpinUntil(() => sink.Errors.Count == 3 || run.IsCompleted, Guard);
        trigger.Fire();
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();

        // Two waits between three attempts, the second capped; no wait after giving up.
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150)], time.Delays);
        Assert.Null(sink.Errors[2].RetryInMs);
        Assert.Contains("giving up on this trigger after 3 attempts", sink.Errors[2].Message);
        var result = Assert.Single(sink.Results);
        Assert.Equal(2, result.Trigger.Sequence);
        Assert.Equal(1, summary.CaptureFailures);
        Assert.Equal(3, summary.CaptureErrors);
        Assert.Equal(1, summary.Processed);
    }

    [Fact]
    public void Preprocess_inference_and_sink_failures_are_reported_and_the_pipeline_goes_on()
    {
        var trigger = new TestTrigger();
        var camera = new ScriptedCamera();
        var backend = new ScriptedBackend(0f, 1f, 0f) { FailingRuns = [1] };
        var input = new CopyingInputWriter { FailingFrames = [2] };
        var failingSink = new CollectingSink { FailingWrites = [1] };
        var sink = new CollectingSink();
        using var pipeline = Build(trigger, camera, backend, input,
            new PipelineOptions { Labels = Labels, MaxTriggers = 4, Time = new InstantDelayTimeProvider() }, failingSink, sink);
        using var cancel = new CancellationTokenSource(Guard);
        pipeline.Start();
        var run = RunInBackground(pipeline, cancel.Token);
        // Frames: 1 → inference fails, 2 → preprocess fails, 3 → first sink fails, 4 → fine. One trigger at a time,
        // each after the previous one was handled, so none is dropped.
        for (int i = 1; i <= 4; i++)
        {
            int before = Handled(sink);
            trigger.Fire();
            Assert.True(SpinWait.SpinUntil(() => Handled(sink) > before || run.IsCompleted, Guard), $"trigger {i} was not handled");
        }
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();

        Assert.Equal(["inference", "preprocess", "sink"], sink.Errors.Select(e => e.Stage));
        Assert.Contains("CollectingSink: disk full", sink.Errors[2].Message);
        Assert.Equal([3L, 4L], sink.Results.Select(r => r.Trigger.Sequence));
        Assert.Equal([4L], failingSink.Results.Select(r => r.Trigger.Sequence));
        Assert.Equal(2, summary.OtherFailures);
        Assert.Equal(1, summary.SinkErrors);
        Assert.Equal(2, summary.Processed);
    }

    private static int Handled(CollectingSink sink)
    {
        lock (sink) return sink.Errors.Count + sink.Results.Count;
    }

    [Fact]
    public void Cancellation_while_waiting_returns_the_summary_and_dispose_releases_every_part()
    {
        var trigger = new TestTrigger();
        var camera = new ScriptedCamera();
        var backend = new ScriptedBackend(1f, 0f, 0f);
        var sink = new CollectingSink();
        var pipeline = Build(trigger, camera, backend, new CopyingInputWriter(), new PipelineOptions { Time = new InstantDelayTimeProvider() }, sink);
        using var cancel = new CancellationTokenSource();
        pipeline.Start();
        var run = RunInBackground(pipeline, cancel.Token);
        trigger.Fire();
        SpinWait.SpinUntil(() => sink.Results.Count == 1, Guard);
        cancel.Cancel();
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();
        pipeline.Dispose();

        Assert.Equal(1, summary.Triggers);
        Assert.Equal(1, summary.Processed);
        Assert.NotNull(summary.MedianTotalMs);
        Assert.False(trigger.Started);
        Assert.True(trigger.Disposed && camera.Disposed && backend.Disposed && sink.Disposed);
    }

    [Fact]
    public void An_exhausted_frame_source_ends_the_run_without_retries()
    {
        var time = new InstantDelayTimeProvider();
        var trigger = new TestTrigger();
        var camera = new ScriptedCamera { ExhaustedAfter = 1 };
        var sink = new CollectingSink();
        using var pipeline = Build(trigger, camera, new ScriptedBackend(1f, 0f), new CopyingInputWriter(), new PipelineOptions { Time = time }, sink);
        using var cancel = new CancellationTokenSource(Guard);
        pipeline.Start();
        var run = RunInBackground(pipeline, cancel.Token);
        trigger.Fire();
        Assert.True(SpinWait.SpinUntil(() => Handled(sink) == 1, Guard));
        trigger.Fire();
        var summary = run.WaitAsync(Guard).GetAwaiter().GetResult();

        Assert.False(cancel.IsCancellationRequested);
        Assert.Equal(2, camera.Captures);
        Assert.Empty(time.Delays);
        var error = Assert.Single(sink.Errors);
        Assert.Contains("all 1 images delivered (stopping)", error.Message);
        Assert.Equal(1, summary.Processed);
    }

    [Fact]
    public void A_trigger_that_cannot_start_fails_at_startup_with_its_message()
    {
        var trigger = new TestTrigger { StartFailure = new HardwareException("/dev/gpiochip0: no such device") };
        using var pipeline = Build(trigger, new ScriptedCamera(), new ScriptedBackend(1f), new CopyingInputWriter(), new PipelineOptions());
        var ex = Assert.Throws<HardwareException>(() => pipeline.Run(CancellationToken.None));
        Assert.Contains("/dev/gpiochip0", ex.Message);
    }
}
