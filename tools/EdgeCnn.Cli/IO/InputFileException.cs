namespace EdgeCnn.Cli.IO;

/// <summary>A file given on the command line (model, tensor, image, labels) is missing or unreadable.
/// The message always starts with the file's path.</summary>
public sealed class InputFileException : Exception
{
    public InputFileException(string path, string detail)
        : base($"'{path}': {detail}")
    {
        FilePath = path;
    }

    public InputFileException(string path, string detail, Exception inner)
        : base($"'{path}': {detail}", inner)
    {
        FilePath = path;
    }

    public string FilePath { get; }

    /// <summary>Reads a whole file, turning the usual I/O failures into an <see cref="InputFileException"/>.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new InputFileException(path, "file not found", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new InputFileException(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(path, $"cannot read: {ex.Message}", ex);
        }
    }
}
