namespace EdgeCnn.Compiler.Calibration;

/// <summary>A range table file is malformed or does not fit the model. The message starts with the file and line.</summary>
public sealed class RangeTableException : CalibrationException
{
    public RangeTableException(string file, int line, string detail)
        : base(line > 0 ? $"'{file}' line {line}: {detail}" : $"'{file}': {detail}")
    {
        FilePath = file;
        Line = line;
    }

    public string FilePath { get; }

    /// <summary>1-based; 0 when the problem is the file as a whole (empty, missing header).</summary>
    public int Line { get; }
}
