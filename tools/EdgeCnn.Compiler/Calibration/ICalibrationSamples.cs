namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// The calibration data: <see cref="Count"/> samples, each one float array per model input (in the order of
/// the model's inputs, in the input's layout and shape). The calibrator reads every sample twice (once per
/// pass), so <see cref="Load"/> must return the same values each time; sources can re-read files instead of
/// keeping every sample in memory.
/// </summary>
public interface ICalibrationSamples
{
    int Count { get; }

    /// <summary>What errors call sample <paramref name="index"/> (a file name, say).</summary>
    string NameOf(int index);

    IReadOnlyList<float[]> Load(int index);
}

/// <summary>Samples held in memory.</summary>
public sealed class InMemoryCalibrationSamples(IReadOnlyList<IReadOnlyList<float[]>> samples) : ICalibrationSamples
{
    public int Count => samples.Count;

    public string NameOf(int index) => $"sample {index}";

    public IReadOnlyList<float[]> Load(int index) => samples[index];

    /// <summary>Samples of a single-input model.</summary>
    public static InMemoryCalibrationSamples SingleInput(IEnumerable<float[]> inputs) =>
        new(inputs.Select(i => (IReadOnlyList<float[]>)[i]).ToList());
}
