using EdgeCnn.Cli.IO;

namespace EdgeCnn.Cli.Calibration;

/// <summary>
/// The files named by <c>--calibration</c>: each argument is a file (taken as is) or a folder, searched at any depth
/// for images (.png, .jpg, .jpeg, .bmp) and tensors (.npy, .pb); hidden entries (on Unix: names starting with '.',
/// folders included) and other files are skipped. A folder's files are sorted by path in ordinal order, so the
/// list — and the calibration — is the same on every machine and file system. Arguments keep their command-line order.
/// </summary>
internal static class CalibrationFiles
{
    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    public static List<string> List(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var found = Directory.EnumerateFiles(argument, "*", Recursive)
                    .Where(IsSample)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                    throw new InputFileException(argument, $"holds no calibration files (images {string.Join(", ", ImageTensor.Extensions)} or tensors .npy, .pb)");
                files.AddRange(found);
            }
            else if (File.Exists(argument))
            {
                files.Add(argument);
            }
            else
            {
                throw new InputFileException(argument, "no such file or directory");
            }
        }
        return files;
    }

    /// <summary><paramref name="count"/> files spread evenly over the list (file ⌊i·n/count⌋ for i = 0..count−1), so
    /// a subset of a folder sorted by class still covers every class; all files when there are not more.</summary>
    public static List<string> Pick(IReadOnlyList<string> files, int count)
    {
        if (count >= files.Count) return files.ToList();
        return Enumerable.Range(0, count).Select(i => files[(int)((long)i * files.Count / count)]).ToList();
    }

    private static bool IsSample(string path) => ImageTensor.IsImagePath(path) || TensorFile.IsTensorPath(path);
}
