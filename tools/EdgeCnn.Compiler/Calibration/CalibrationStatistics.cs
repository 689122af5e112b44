namespace EdgeCnn.Compiler.Calibration;

/// <summary>The statistics of every float32 input and activation of a model, in the model's tensor order.</summary>
public sealed class CalibrationStatistics
{
    private readonly Dictionary<string, TensorStatistics> _byName;

    internal CalibrationStatistics(IReadOnlyList<TensorStatistics> tensors, int samples)
    {
        Tensors = tensors;
        Samples = samples;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<TensorStatistics> Tensors { get; }

    /// <summary>How many samples were run.</summary>
    public int Samples { get; }

    public bool HasHistograms => Tensors.Count > 0 && Tensors[0].Histogram is not null;

    public TensorStatistics this[string name] =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no statistics for tensor '{name}'");

    public bool TryGet(string name, out TensorStatistics statistics) => _byName.TryGetValue(name, out statistics!);

    /// <summary>The range <paramref name="method"/> picks for every tensor, in tensor order.</summary>
    public IReadOnlyList<(TensorStatistics Tensor, TensorRange Range)> Select(CalibrationMethod method) =>
        Tensors.Select(t => (t, RangeSelector.Select(t, method))).ToList();
}
