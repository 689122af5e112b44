namespace EdgeCnn.Hardware.Pipeline;

/// <summary>The most recent latency samples of one stage, in a fixed ring so a service running for weeks keeps a
/// bounded memory; the median is computed only for the summary.</summary>
public sealed class LatencyWindow
{
    private readonly double[] _samples;
    private int _next;
    private int _count;

    public LatencyWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new double[capacity];
    }

    public int Count => _count;

    public void Add(double milliseconds)
    {
        _samples[_next] = milliseconds;
        _next = (_next + 1) % _samples.Length;
        if (_count < _samples.Length) _count++;
    }

    /// <summary>The median of the kept samples (mean of the middle two for an even count); null without samples.</summary>
    public double? Median()
    {
        if (_count == 0) return null;
        var sorted = _samples.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        int mid = _count / 2;
        return _count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
