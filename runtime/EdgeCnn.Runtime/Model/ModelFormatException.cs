namespace EdgeCnn.Runtime.Model;

/// <summary>The model (file or in-memory description) is malformed or inconsistent. The message says what and where.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message) : base(message) { }
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
