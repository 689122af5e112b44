using System.Text;
using EdgeCnn.Models;

namespace EdgeCnn.Trainer;

/// <summary>The files that go with the model: labels.txt and one sample test image per class.</summary>
public static class ModelFiles
{
    public static void WriteLabels(string directory) =>
        File.WriteAllText(Path.Combine(directory, FashionMnistModelFiles.LabelsFileName), string.Join('\n', FashionMnist.Labels) + "\n", new UTF8Encoding(false));

    /// <summary>Writes the first test image of each class (see <see cref="FashionMnistModelFiles.SampleFileName"/>);
    /// returns (file, test-set index, class) per sample. The first of each class, not a chosen one, so the
    /// samples are as hard as the test set.</summary>
    public static List<(string Path, int Index, int Class)> WriteSamples(string directory, FashionMnist.Split test)
    {
        string samples = Path.Combine(directory, FashionMnistModelFiles.SamplesFolder);
        Directory.CreateDirectory(samples);
        var written = new List<(string, int, int)>();
        for (int c = 0; c < FashionMnist.Labels.Length; c++)
        {
            int index = Array.IndexOf(test.Classes, (byte)c);
            string path = Path.Combine(samples, FashionMnistModelFiles.SampleFileName(c));
            File.WriteAllBytes(path, PngEncoder.EncodeGray(FashionMnist.Width, FashionMnist.Height, test.Image(index)));
            written.Add((path, index, c));
        }
        return written;
    }
}
