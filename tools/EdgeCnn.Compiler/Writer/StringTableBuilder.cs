using System.Text;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>Collects the names of a model once each and encodes them as the Strings section:
/// u32 count, then per string u32 byte length and its UTF-8 bytes.</summary>
internal sealed class StringTableBuilder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, uint> _indices = new(StringComparer.Ordinal);
    private readonly List<byte[]> _encoded = [];

    /// <summary>Returns the index of <paramref name="text"/>, adding it if new.</summary>
    /// <param name="owner">Names what the string belongs to, for the error message.</param>
    public uint Add(string text, string owner)
    {
        if (text is null) throw new ModelFormatException($"{owner} has no name (null)");
        if (_indices.TryGetValue(text, out var index)) return index;
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ModelFormatException($"{owner}: the name is not valid Unicode text (lone surrogate at position {e.Index})", e);
        }
        index = (uint)_encoded.Count;
        _indices.Add(text, index);
        _encoded.Add(bytes);
        return index;
    }

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write((uint)_encoded.Count);
        foreach (var bytes in _encoded)
        {
            writer.Write((uint)bytes.Length);
            writer.Write(bytes);
        }
        writer.Flush();
        return buffer.ToArray();
    }
}
