using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Hardware.Tests.Fakes;

namespace EdgeCnn.Hardware.Tests.Triggers;

public sealed class IntervalTriggerTests
{
    private static (IntervalTrigger Trigger, ManualTimeProvider Clock, List<double> FiredAtMs) Started(double periodMs)
    {
        var clock = new ManualTimeProvider();
        DateTimeOffset start = clock.GetUtcNow();
        var trigger = new IntervalTrigger(TimeSpan.FromMilliseconds(periodMs), clock);
        var fired = new List<double>();
        long expectedSequence = 0;
        trigger.Start(e =>
        {
            Assert.Equal(++expectedSequence, e.Sequence);
            fired.Add((e.Timestamp - start).TotalMilliseconds);
        });
        return (trigger, clock, fired);
    }

    [Fact]
    public void Fires_once_per_period_starting_one_period_after_start()
    {
        var (trigger, clock, fired) = Started(1000);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromMilliseconds(2501));

        Assert.Equal([1000.0, 2000, 3000], fired);
        trigger.Stop();
    }

    [Fact]
    public void Late_wake_ups_do_not_accumulate_drift()
    {
        var (trigger, clock, fired) = Started(1000);

        // Every wake-up is 300 ms late; a timer re-armed from "now" would drift to 1300, 2600, 3900.
        clock.Jump(TimeSpan.FromMilliseconds(1300));
        clock.Jump(TimeSpan.FromMilliseconds(1000));
        clock.Jump(TimeSpan.FromMilliseconds(1000));
        clock.Advance(TimeSpan.FromMilliseconds(1700));

        Assert.Equal([1300.0, 2300, 3300, 4000, 5000], fired);
        Assert.Equal(0, trigger.SkippedTicks);
        trigger.Stop();
    }

    [Fact]
    public void Ticks_missed_entirely_are_skipped_not_fired_in_a_burst()
    {
        var (trigger, clock, fired) = Started(250);

        clock.Advance(TimeSpan.FromMilliseconds(250));
        // Ticks 2-4 (500, 750, 1000 ms) pass unseen; tick 5 (1250 ms) fires late, at 1350 ms.
        clock.Jump(TimeSpan.FromMilliseconds(1100));
        clock.Advance(TimeSpan.FromMilliseconds(400));

        Assert.Equal([250.0, 1350, 1500, 1750], fired);
        Assert.Equal(3, trigger.SkippedTicks);
        trigger.Stop();
    }

    [Fact]
    public void Stop_cancels_the_timer()
    {
        var (trigger, clock, fired) = Started(100);
        clock.Advance(TimeSpan.FromMilliseconds(250));

        trigger.Stop();
        clock.Advance(TimeSpan.FromMilliseconds(1000));

        Assert.Equal(2, fired.Count);
        Assert.Equal(0, clock.ActiveTimers);
        trigger.Stop();
    }

    [Fact]
    public void A_period_under_one_millisecond_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntervalTrigger(TimeSpan.FromTicks(5000)));
    }
}
