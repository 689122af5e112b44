using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Pipeline;

public sealed class TriggerSlotTests
{
    private static TriggerEvent Event(long n) => new("gpio:17", DateTimeOffset.UnixEpoch.AddSeconds(n), n);

    [Fact]
    public void One_trigger_waits_in_the_slot_and_later_ones_are_dropped_until_it_is_taken()
    {
        using var slot = new TriggerSlot();
        Assert.True(slot.Offer(Event(1)));
        Assert.False(slot.Offer(Event(2)));
        Assert.False(slot.Offer(Event(3)));
        Assert.Equal(2, slot.DroppedSinceTake);

        var (taken, dropped) = slot.Take(CancellationToken.None);
        Assert.Equal(1, taken.Sequence);
        Assert.Equal(2, dropped);
        Assert.False(slot.HasPending);

        Assert.True(slot.Offer(Event(4)));
        var (next, droppedAfter) = slot.Take(CancellationToken.None);
        Assert.Equal(4, next.Sequence);
        Assert.Equal(0, droppedAfter);
        Assert.Equal(4, slot.Received);
        Assert.Equal(2, slot.Dropped);
    }

    [Fact]
    public void Take_on_an_empty_slot_ends_with_cancellation()
    {
        using var slot = new TriggerSlot();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => slot.Take(cancel.Token));
    }

    [Fact]
    public void Triggers_past_the_limit_are_ignored_and_not_counted()
    {
        using var slot = new TriggerSlot(limit: 2);
        Assert.True(slot.Offer(Event(1)));
        Assert.False(slot.Offer(Event(2)));
        Assert.True(slot.LimitReached);
        Assert.False(slot.Offer(Event(3)));
        Assert.Equal(2, slot.Received);
        Assert.Equal(1, slot.Dropped);
    }

    [Fact]
    public void Concurrent_offers_are_each_either_accepted_or_counted_as_dropped()
    {
        using var slot = new TriggerSlot();
        long accepted = 0;
        using var cancel = new CancellationTokenSource();
        var taker = Task.Factory.StartNew(() =>
        {
            long taken = 0;
            try
            {
                while (true)
                {
                    slot.Take(cancel.Token);
                    taken++;
                }
            }
            catch (OperationCanceledException)
            {
                return taken;
            }
        }, TaskCreationOptions.LongRunning);
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 5000; i++)
                if (slot.Offer(Event(i))) Interlocked.Increment(ref accepted);
        });
        SpinWait.SpinUntil(() => !slot.HasPending, TimeSpan.FromSeconds(60));
        cancel.Cancel();
        long takenTotal = taker.GetAwaiter().GetResult();

        Assert.Equal(20000, slot.Received);
        Assert.Equal(20000, accepted + slot.Dropped);
        Assert.Equal(accepted, takenTotal);
    }
}
