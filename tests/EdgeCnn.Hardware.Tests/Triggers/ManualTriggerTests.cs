using System.Collections.Concurrent;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Tests.Fakes;

namespace EdgeCnn.Hardware.Tests.Triggers;

public sealed class ManualTriggerTests
{
    // Only a guard against a hung test; nothing asserts on how long anything took.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_line_is_one_trigger_and_end_of_input_stops_it()
    {
        var clock = new ManualTimeProvider();
        using var trigger = new ManualTrigger(new StringReader("\n\nsnap\n"), clock);
        var events = new ConcurrentQueue<TriggerEvent>();

        trigger.Start(events.Enqueue);
        await trigger.Completion.WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.True(trigger.EndOfInput);
        Assert.Equal([1L, 2, 3], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal("manual", e.Source));
        Assert.All(events, e => Assert.Equal(clock.GetUtcNow(), e.Timestamp));
    }

    [Fact]
    public async Task Empty_input_gives_no_trigger()
    {
        using var trigger = new ManualTrigger(new StringReader(""));
        int count = 0;

        trigger.Start(_ => Interlocked.Increment(ref count));
        await trigger.Completion.WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(0, count);
        Assert.True(trigger.EndOfInput);
    }

    [Fact]
    public async Task Lines_after_stop_are_ignored()
    {
        using var input = new QueuedLineReader();
        using var trigger = new ManualTrigger(input);
        var events = new BlockingCollection<TriggerEvent>();
        trigger.Start(events.Add);

        input.Push("first");
        Assert.True(events.TryTake(out TriggerEvent first, Patience));
        trigger.Stop();
        input.Push("second");
        await trigger.Completion.WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(1, first.Sequence);
        Assert.Empty(events);
        Assert.False(trigger.EndOfInput);
    }

    [Fact]
    public void Starting_twice_is_refused()
    {
        using var trigger = new ManualTrigger(new StringReader(""));
        trigger.Start(_ => { });
        Assert.Throws<InvalidOperationException>(() => trigger.Start(_ => { }));
    }

    [Fact]
    public async Task A_failing_reader_faults_completion_with_a_hardware_exception()
    {
        using var trigger = new ManualTrigger(new FailingReader());
        trigger.Start(_ => { });

        var ex = await Assert.ThrowsAsync<HardwareException>(() => trigger.Completion.WaitAsync(Patience, TestContext.Current.CancellationToken));

        Assert.Contains("manual", ex.Message);
        Assert.Contains("terminal went away", ex.Message);
    }

    /// <summary>A reader whose ReadLine blocks until the test pushes a line, like a console.</summary>
    private sealed class QueuedLineReader : TextReader
    {
        private readonly BlockingCollection<string> _lines = [];

        public void Push(string line) => _lines.Add(line);

        public override string? ReadLine() => _lines.Take();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _lines.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class FailingReader : TextReader
    {
        public override string? ReadLine() => throw new IOException("terminal went away");
    }
}
