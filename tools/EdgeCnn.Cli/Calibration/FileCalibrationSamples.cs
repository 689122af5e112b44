using EdgeCnn.Cli.Commands;
using EdgeCnn.Cli.IO;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Calibration;

/// <summary>Calibration samples of a single-input model, one file each, read (and preprocessed) again whenever the
/// calibrator asks, so no more than one sample is held in memory. Reading is deterministic, which the
/// calibrator's two passes rely on.</summary>
internal sealed class FileCalibrationSamples(IReadOnlyList<string> files, TensorInfo input, ImagePreprocessing? image) : ICalibrationSamples
{
    public int Count => files.Count;

    public string NameOf(int index) => $"'{files[index]}'";

    public IReadOnlyList<float[]> Load(int index)
    {
        string file = files[index];
        var data = TensorFile.Read(file, () => image ?? throw new InputFileException(file, "an image cannot feed this model input"));
        RunInputs.CheckShape(file, data, input);
        return [data.AsFloats()];
    }
}
