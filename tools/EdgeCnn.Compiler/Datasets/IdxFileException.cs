namespace EdgeCnn.Compiler.Datasets;

/// <summary>An idx file is missing, unreadable or malformed. The message starts with the file's path, then
/// <see cref="Detail"/> says what is wrong.</summary>
public sealed class IdxFileException : Exception
{
    public IdxFileException(string path, string detail, Exception? inner = null)
        : base($"'{path}': {detail}", inner)
    {
        FilePath = path;
        Detail = detail;
    }

    public string FilePath { get; }

    public string Detail { get; }
}
