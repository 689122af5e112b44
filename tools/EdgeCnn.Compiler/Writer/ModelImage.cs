using System.Buffers.Binary;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>
/// A complete .ecnn file laid out in memory but not yet written: header, section table, then each
/// section at a 16-byte aligned offset in the given order, zero padding in between. The sections are
/// kept as they are (the weight blob is not copied); the checksum is computed over them in place.
/// </summary>
internal sealed class ModelImage
{
    private static readonly byte[] Padding = new byte[ModelFormat.Alignment];
    private readonly byte[] _headerAndTable;
    private readonly IReadOnlyList<EncodedSection> _sections;
    private readonly long[] _offsets;

    public ModelImage(IReadOnlyList<EncodedSection> sections)
    {
        _sections = sections;
        _offsets = new long[sections.Count];
        long position = ModelFormat.HeaderSize + (long)sections.Count * ModelFormat.SectionEntrySize;
        for (int i = 0; i < sections.Count; i++)
        {
            position = AlignUp(position);
            _offsets[i] = position;
            position += sections[i].Content.Length;
        }
        TotalLength = position;
        if (TotalLength > Array.MaxLength)
            throw new ModelFormatException($"the model file would be {TotalLength} bytes; files of 2 GiB or more are not supported");

        _headerAndTable = new byte[ModelFormat.HeaderSize + sections.Count * ModelFormat.SectionEntrySize];
        var span = _headerAndTable.AsSpan();
        ModelFormat.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[ModelFormat.VersionOffset..], ModelFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(span[ModelFormat.FlagsOffset..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(span[ModelFormat.TotalLengthOffset..], (ulong)TotalLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[ModelFormat.SectionCountOffset..], (uint)sections.Count);
        for (int i = 0; i < sections.Count; i++)
        {
            var entry = span.Slice(ModelFormat.HeaderSize + i * ModelFormat.SectionEntrySize, ModelFormat.SectionEntrySize);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, sections[i].Id);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)sections[i].Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)_offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], (ulong)sections[i].Content.Length);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[ModelFormat.ChecksumOffset..], ComputeChecksum());
    }

    public long TotalLength { get; }

    public void WriteTo(Stream stream)
    {
        stream.Write(_headerAndTable);
        long position = _headerAndTable.Length;
        for (int i = 0; i < _sections.Count; i++)
        {
            stream.Write(Padding, 0, (int)(_offsets[i] - position));
            stream.Write(_sections[i].Content.Span);
            position = _offsets[i] + _sections[i].Content.Length;
        }
    }

    /// <summary>CRC-32 of everything after the header, in file order: section table, padding, sections.</summary>
    private uint ComputeChecksum()
    {
        uint crc = Crc32.Compute(_headerAndTable.AsSpan(ModelFormat.HeaderSize));
        long position = _headerAndTable.Length;
        for (int i = 0; i < _sections.Count; i++)
        {
            crc = Crc32.Append(crc, Padding.AsSpan(0, (int)(_offsets[i] - position)));
            crc = Crc32.Append(crc, _sections[i].Content.Span);
            position = _offsets[i] + _sections[i].Content.Length;
        }
        return crc;
    }

    private static long AlignUp(long value) => (value + ModelFormat.Alignment - 1) / ModelFormat.Alignment * ModelFormat.Alignment;
}
