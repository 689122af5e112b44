namespace EdgeCnn.Cli.IO;

/// <summary>Writes a file so that readers see either the old content or the complete new one: the bytes
/// go to a temporary file in the same folder, renamed over the target once flushed.</summary>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new InputFileException(path, "names no file");
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The write's own failure is the one to report; a stray temporary file is harmless.
            }
            throw;
        }
    }
}
