using System.Buffers.Binary;

namespace EdgeCnn.Runtime.Model;

/// <summary>
/// Reads little-endian fields from one section of an .ecnn file. Every read is bounds-checked against
/// the section (never the whole file), and every failure becomes a <see cref="ModelFormatException"/>
/// that names the file, the record being read and the field.
/// </summary>
internal ref struct SectionCursor
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _source;
    private readonly string _section;
    private int _position;

    public SectionCursor(ReadOnlySpan<byte> data, string source, string section)
    {
        _data = data;
        _source = source;
        _section = section;
        _position = 0;
        Context = $"{section} section";
    }

    /// <summary>What is being read, for messages: "tensor 12 'conv1.w'".</summary>
    public string Context { get; set; }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public float ReadSingle(string field) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, field));

    public ReadOnlySpan<byte> ReadBytes(int count, string field) => Take(count, field);

    /// <summary>Reads an unsigned LEB128 integer (7 bits per byte, low groups first, high bit = more follows) of at
    /// most 5 bytes; a value above <see cref="uint.MaxValue"/> or a non-minimal encoding (a final 0 byte after
    /// the first) is refused, so every value has exactly one encoding.</summary>
    public uint ReadVarUInt32(string field)
    {
        uint value = 0;
        for (int i = 0; i < 5; i++)
        {
            byte b = ReadByte(field);
            if (i == 4 && b > 0x0F) throw Fail($"{field} does not fit 32 bits");
            if (i > 0 && b == 0) throw Fail($"{field} is not minimally encoded (a trailing zero byte)");
            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw Fail($"{field} does not fit 32 bits");
    }

    /// <summary>Reads a u32 element count and checks that that many items of at least
    /// <paramref name="minItemBytes"/> bytes each fit in the rest of the section, so a corrupt count can
    /// never make the reader allocate more than the file could describe.</summary>
    public int ReadCount(string field, int minItemBytes)
    {
        uint count = ReadUInt32(field);
        if (count > (uint)(Remaining / minItemBytes))
            throw Fail($"{field} is {count}, but only {Remaining} bytes remain in the {_section} section (each entry needs at least {minItemBytes})");
        return (int)count;
    }

    /// <summary>Reads a reserved byte, which version 1 requires to be zero so later versions can give it a meaning.</summary>
    public void ReadReserved(string field)
    {
        byte value = ReadByte(field);
        if (value != 0) throw Fail($"{field} must be 0, is {value}");
    }

    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
            throw new ModelFormatException($"{_source}: {_section} section: {Remaining} unexpected bytes after the last {what}");
    }

    public readonly ModelFormatException Fail(string message) => new($"{_source}: {Context}: {message}");

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining)
            throw Fail($"{field} needs {count} bytes at offset {_position} of the {_data.Length}-byte {_section} section");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
