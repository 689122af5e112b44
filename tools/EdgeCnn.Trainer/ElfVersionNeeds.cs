using System.Buffers.Binary;
using System.Text;

namespace EdgeCnn.Trainer;

/// <summary>
/// Reads and edits the version requirements (section SHT_GNU_verneed) of a little-endian ELF64 shared
/// library: which symbol versions it needs from which library, and whether the need is weak (VER_FLG_WEAK),
/// in which case the dynamic loader accepts a library that lacks the version.
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    public sealed record Need(string Library, string Version, bool Weak, int FlagsOffset);

    public static List<Need> Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        var span = elf.AsSpan();
        long sectionTable = I64(span, 0x28);
        int sectionSize = U16(span, 0x3A), sectionCount = U16(span, 0x3C);
        var needs = new List<Need>();
        for (int s = 0; s < sectionCount; s++)
        {
            var header = Slice(span, sectionTable + (long)s * sectionSize, 64);
            if (U32(header, 4) != ShtGnuVerneed) continue;
            long offset = I64(header, 0x18);
            int link = (int)U32(header, 0x28);
            int entries = (int)U32(header, 0x2C); // sh_info: number of Verneed entries
            var stringsHeader = Slice(span, sectionTable + (long)link * sectionSize, 64);
            long strings = I64(stringsHeader, 0x18);
            for (int e = 0; e < entries; e++)
            {
                var verneed = Slice(span, offset, 16);
                int auxCount = U16(verneed, 2);
                string library = CString(span, strings + U32(verneed, 4));
                long aux = offset + U32(verneed, 8);
                for (int a = 0; a < auxCount; a++)
                {
                    var vernaux = Slice(span, aux, 16);
                    ushort flags = (ushort)U16(vernaux, 4);
                    needs.Add(new Need(library, CString(span, strings + U32(vernaux, 8)), (flags & VerFlagWeak) != 0, checked((int)(aux + 4))));
                    aux += U32(vernaux, 12);
                }
                offset += U32(verneed, 12);
            }
        }
        return needs;
    }

    /// <summary>Marks a need weak in place (a no-op when it already is).</summary>
    public static void MarkWeak(byte[] elf, Need need)
    {
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(need.FlagsOffset));
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(need.FlagsOffset), (ushort)(flags | VerFlagWeak));
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> span, long offset, int length)
    {
        if (offset < 0 || offset + length > span.Length) throw new InvalidDataException($"ELF structure at offset {offset} runs past the end of the file");
        return span.Slice((int)offset, length);
    }

    private static string CString(ReadOnlySpan<byte> span, long offset)
    {
        if (offset < 0 || offset >= span.Length) throw new InvalidDataException($"ELF string offset {offset} is outside the file");
        var rest = span[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0) throw new InvalidDataException($"ELF string at offset {offset} is not terminated");
        return Encoding.ASCII.GetString(rest[..end]);
    }

    private static int U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]);

    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);

    private static long I64(ReadOnlySpan<byte> s, int at) => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(s[at..]));
}
