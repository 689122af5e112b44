using System.Text;

namespace EdgeCnn.Models;

/// <summary>Every file of models/tiny-cnn/, as the builders produce them (relative path → bytes): a small
/// synthetic 3-channel model and pictures that tests use. A test keeps the committed files equal to these.</summary>
public static class TinyCnnFiles
{
    public static IReadOnlyList<(string RelativePath, byte[] Bytes)> All()
    {
        var files = new List<(string, byte[])>
        {
            ("tiny-cnn.onnx", TinyCnn.Build()),
            ("labels.txt", Encoding.UTF8.GetBytes(string.Join('\n', TinyCnn.Labels) + "\n")),
        };
        foreach (var (name, png) in SampleImages.All()) files.Add(($"samples/{name}", png));
        return files;
    }

    /// <summary>Writes the files under <paramref name="directory"/> (normally models/tiny-cnn).</summary>
    public static void WriteTo(string directory)
    {
        foreach (var (relative, bytes) in All())
        {
            string path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }
}
