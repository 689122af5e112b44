using EdgeCnn.Cli.IO;

namespace EdgeCnn.Cli.Models;

/// <summary>Class labels: one per line, line i names class i. Trailing blank lines are ignored.</summary>
public static class LabelFile
{
    public static string[] Read(string path) =>
        Parse(System.Text.Encoding.UTF8.GetString(InputFileException.ReadAllBytes(path)));

    public static string[] Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.ToArray();
    }
}
