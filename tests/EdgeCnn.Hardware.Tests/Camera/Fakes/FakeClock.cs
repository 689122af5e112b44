namespace EdgeCnn.Hardware.Tests.Camera.Fakes;

/// <summary>A clock moved only by the fake camera (a blocking poll advances it by its timeout, a delivered frame by
/// one frame period), so capture timeouts are tested without waiting.</summary>
internal sealed class FakeClock : TimeProvider
{
    private long _ticks;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public void Advance(TimeSpan delta) => Interlocked.Add(ref _ticks, delta.Ticks);
}
