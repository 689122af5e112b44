using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeCnn.Compiler.Datasets;

/// <summary>
/// An idx file (the MNIST / Fashion-MNIST format), plain or gzip-compressed (recognized by its content, not its
/// name): two zero bytes, an element type byte, the number of dimensions, each dimension as a big-endian int32,
/// then the elements in row-major order. Only unsigned bytes (type 0x08) are read: the type every MNIST-family
/// data set uses. Shared by <c>edgecnn eval</c> and the Fashion-MNIST reader in models/EdgeCnn.Models; every
/// failure is an <see cref="IdxFileException"/> naming the file.
/// </summary>
public sealed class IdxFile
{
    public const byte UnsignedByte = 0x08;

    private IdxFile(int[] dims, byte[] data, int dataOffset)
    {
        Dims = dims;
        _data = data;
        _offset = dataOffset;
    }

    private readonly byte[] _data;
    private readonly int _offset;

    public int[] Dims { get; }

    /// <summary>The elements, row-major.</summary>
    public ReadOnlySpan<byte> Data => _data.AsSpan(_offset);

    public static IdxFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IdxFileException(path, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IdxFileException(path, $"cannot read: {ex.Message}", ex);
        }
        return Parse(bytes, path);
    }

    public static IdxFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) bytes = Gunzip(bytes, source);
        if (bytes.Length < 4)
            throw new IdxFileException(source, $"not an idx file: {bytes.Length} bytes, shorter than the 4-byte magic number");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFileException(source, $"not an idx file: the magic number starts with 0x{bytes[0]:X2} 0x{bytes[1]:X2}, not 0x00 0x00");
        if (bytes[2] != UnsignedByte)
            throw new IdxFileException(source, $"idx element type 0x{bytes[2]:X2} is not supported (only unsigned bytes, 0x08)");
        int rank = bytes[3];
        if (rank == 0) throw new IdxFileException(source, "idx file declares 0 dimensions");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new IdxFileException(source, $"truncated idx header: {rank} dimensions need {header} bytes, the file has {bytes.Length}");

        var dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d > int.MaxValue) throw new IdxFileException(source, $"idx dimension {i} is {d}, too large");
            dims[i] = (int)d;
            // Saturates instead of overflowing: a huge product fails the length check below like any truncation.
            elements = d == 0 || elements == 0 ? 0 : elements > long.MaxValue / d ? long.MaxValue : elements * d;
        }
        long available = bytes.Length - (long)header;
        if (available < elements)
            throw new IdxFileException(source, $"truncated idx data: dimensions [{string.Join(',', dims)}] need {elements} bytes after the header, the file has {available}");
        if (available > elements)
            throw new IdxFileException(source, $"idx file has {available - elements} bytes beyond the [{string.Join(',', dims)}] elements its header declares");
        return new IdxFile(dims, bytes, header);
    }

    private static byte[] Gunzip(byte[] compressed, string source)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new IdxFileException(source, $"corrupt gzip data: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new IdxFileException(source, "truncated gzip data", ex);
        }
    }
}
