using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.Report;

/// <summary>Agreement of one model output over samples: cosine similarity per sample, arg-max agreement for
/// class vectors, largest absolute difference.</summary>
internal sealed class OutputAccumulator(TensorInfo info)
{
    private readonly bool _isClassVector = info.Shape.Count(d => d > 1) == 1;
    private double _cosineSum;
    private double _minCosine = double.PositiveInfinity;
    private double _maxAbs;
    private int _agree;
    private int _samples;

    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        double dot = 0, nr = 0, na = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            dot += (double)reference[i] * actual[i];
            nr += (double)reference[i] * reference[i];
            na += (double)actual[i] * actual[i];
            _maxAbs = Math.Max(_maxAbs, Math.Abs((double)reference[i] - actual[i]));
        }
        // Two all-zero outputs agree; one all-zero output against a non-zero one shares no direction.
        double cosine = nr == 0 && na == 0 ? 1 : nr == 0 || na == 0 ? 0 : dot / Math.Sqrt(nr * na);
        _cosineSum += cosine;
        _minCosine = Math.Min(_minCosine, cosine);
        if (_isClassVector && ArgMax(reference) == ArgMax(actual)) _agree++;
        _samples++;
    }

    public OutputQuality Result() => new(info.Name,
        _samples == 0 ? 0 : _cosineSum / _samples,
        _samples == 0 ? 0 : _minCosine,
        _isClassVector && _samples > 0 ? _agree / (double)_samples : null,
        _maxAbs);

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
