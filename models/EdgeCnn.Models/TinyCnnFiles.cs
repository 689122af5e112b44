using System.Text;

namespace EdgeCnn.Models;

/// <summary>Every file of models/default/, as the builders produce them (relative path → bytes).
/// The CLI embeds tiny-cnn.onnx and labels.txt; a test keeps the committed files equal to these.</summary>
public static class DefaultModelFiles
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

    /// <summary>Writes the files under <paramref name="directory"/> (normally models/default).</summary>
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
