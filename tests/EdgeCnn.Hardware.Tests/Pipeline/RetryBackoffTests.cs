using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Pipeline;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_and_a_reset_starts_over()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000));
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay().TotalMilliseconds).ToArray();
        Assert.Equal([100.0, 200, 400, 800, 1000, 1000, 1000], delays);
        backoff.Reset();
        Assert.Equal(100, backoff.NextDelay().TotalMilliseconds);
    }

    [Fact]
    public void Many_failures_stay_at_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5));
        for (int i = 0; i < 10_000; i++) backoff.NextDelay();
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.NextDelay());
    }

    [Fact]
    public void A_cap_below_the_first_delay_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}
