using System.Text;

namespace EdgeCnn.Models;

/// <summary>The file names in models/fashion-mnist/, where tools/EdgeCnn.Trainer writes the trained model
/// (see models/README.md).</summary>
public static class FashionMnistModelFiles
{
    public const string OnnxFileName = "fashion-mnist-dwsep.onnx";
    public const string LabelsFileName = "labels.txt";
    public const string SamplesFolder = "samples";

    /// <summary>Class c's sample image: the class number and its name in lower case, e.g. "9-ankle-boot.png".</summary>
    public static string SampleFileName(int c)
    {
        var slug = new StringBuilder();
        foreach (char ch in FashionMnist.Labels[c].ToLowerInvariant())
            slug.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        return $"{c}-{slug}.png";
    }
}
