using System.Buffers.Binary;

namespace EdgeCnn.Compiler.Tests.Format;

/// <summary>
/// Test-side view of an .ecnn file, written from docs/model-format.md rather than from the reader:
/// finds sections through the section table and re-signs a patched file with a CRC-32 of its own, so
/// corruption tests can get past the checksum and reach the structural checks.
/// </summary>
internal static class EcnnBytes
{
    public const int HeaderSize = 32;
    public const int EntrySize = 24;
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static int SectionCount(byte[] file) => (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28));

    /// <summary>Offset of the section-table entry of section <paramref name="id"/>.</summary>
    public static int EntryOffset(byte[] file, uint id)
    {
        for (int i = 0; i < SectionCount(file); i++)
        {
            int entry = HeaderSize + i * EntrySize;
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry)) == id) return entry;
        }
        throw new InvalidOperationException($"no section {id} in the file");
    }

    public static (int Offset, int Length) Section(byte[] file, uint id)
    {
        int entry = EntryOffset(file, id);
        return ((int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(entry + 8)),
                (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(entry + 16)));
    }

    public static void SetSectionLength(byte[] file, uint id, long length) =>
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(EntryOffset(file, id) + 16), (ulong)length);

    /// <summary>Rewrites the header checksum to match the current contents.</summary>
    public static void Resign(byte[] file) =>
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), Crc(file.AsSpan(HeaderSize)));

    public static uint StoredChecksum(byte[] file) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24));

    /// <summary>The standard (zlib/PNG) CRC-32, implemented independently of the runtime's.</summary>
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) == 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
