using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>
/// Writes a <see cref="CompiledModel"/> as an .ecnn file (docs/model-format.md), readable by the
/// runtime's <see cref="ModelReader"/>. The model is fully encoded and checked before the first byte is
/// written, so an invalid model throws <see cref="ModelFormatException"/> without touching the output.
/// </summary>
public static class ModelWriter
{
    public static void Write(CompiledModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        new ModelImage(SectionEncoder.Encode(model)).WriteTo(stream);
    }

    public static byte[] ToBytes(CompiledModel model)
    {
        using var stream = new MemoryStream();
        Write(model, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> and returns the file size in bytes. The bytes go to a
    /// temporary file in the same folder that is renamed over the target only once complete, so a failure
    /// (invalid model, full disk, missing folder) never leaves a partial model where a complete one is
    /// expected, and an existing file is kept until the new one is whole.
    /// </summary>
    public static long Save(CompiledModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        string target = Path.GetFullPath(path);
        var image = new ModelImage(SectionEncoder.Encode(model));
        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                image.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
        return image.TotalLength;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is what the caller needs to see; a leftover temp file is harmless.
        }
    }
}
