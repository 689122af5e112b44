using System.Buffers.Binary;

namespace EdgeCnn.Runtime.Model;

/// <summary>One entry of the section table: where a section lies in the file.</summary>
internal readonly record struct SectionEntry(uint Id, SectionFlags Flags, int Offset, int Length);

/// <summary>
/// The validated section table of an .ecnn file: every section lies inside the file after the table,
/// starts 16-byte aligned, overlaps no other section and appears at most once; the five sections every
/// file has are present; unknown required sections are refused, unknown optional ones skipped.
/// </summary>
internal sealed class SectionDirectory
{
    private static readonly SectionId[] VersionOneSections =
        [SectionId.Strings, SectionId.Tensors, SectionId.Ops, SectionId.Graph, SectionId.Weights];

    private readonly Dictionary<SectionId, SectionEntry> _known = new();

    private SectionDirectory() { }

    public SectionEntry this[SectionId id] => _known[id];

    /// <summary>Finds a section that a file may leave out (<see cref="SectionId.Quantization"/>, <see cref="SectionId.Plan"/>).</summary>
    public bool TryGet(SectionId id, out SectionEntry entry) => _known.TryGetValue(id, out entry);

    public static SectionDirectory Parse(ReadOnlySpan<byte> file, int sectionCount, string source)
    {
        long tableEnd = ModelFormat.HeaderSize + (long)sectionCount * ModelFormat.SectionEntrySize;
        var entries = new SectionEntry[sectionCount];
        var seen = new HashSet<uint>();
        for (int i = 0; i < sectionCount; i++)
        {
            var raw = file.Slice(ModelFormat.HeaderSize + i * ModelFormat.SectionEntrySize, ModelFormat.SectionEntrySize);
            uint id = BinaryPrimitives.ReadUInt32LittleEndian(raw);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(raw[8..]);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(raw[16..]);
            string what = $"{source}: section table entry {i} (id {id}{KnownName(id)})";

            if ((flags & ~(uint)SectionFlags.Required) != 0)
                throw new ModelFormatException($"{what}: flags 0x{flags:X8} has unknown bits set");
            if (!seen.Add(id))
                throw new ModelFormatException($"{what}: the section appears more than once");
            if (offset < (ulong)tableEnd || offset > (ulong)file.Length || length > (ulong)file.Length - offset)
                throw new ModelFormatException($"{what}: {length} bytes at offset {offset} lie outside the {file.Length}-byte file (sections start after the {tableEnd}-byte header and section table)");
            if (offset % ModelFormat.Alignment != 0)
                throw new ModelFormatException($"{what}: offset {offset} is not {ModelFormat.Alignment}-byte aligned");

            bool known = Enum.IsDefined((SectionId)id);
            bool required = (flags & (uint)SectionFlags.Required) != 0;
            bool optional = id == (uint)SectionId.Plan;
            if (known && required == optional)
                throw new ModelFormatException($"{what}: the section must be marked {(optional ? "optional" : "required")}");
            if (!known && required)
                throw new ModelFormatException($"{what}: the section is marked required, but this runtime does not know it (the file needs a newer runtime)");
            entries[i] = new SectionEntry(id, (SectionFlags)flags, (int)offset, (int)length);
        }

        var byOffset = (SectionEntry[])entries.Clone();
        Array.Sort(byOffset, (a, b) => a.Offset.CompareTo(b.Offset));
        for (int i = 1; i < byOffset.Length; i++)
        {
            var previous = byOffset[i - 1];
            if ((long)previous.Offset + previous.Length > byOffset[i].Offset)
                throw new ModelFormatException($"{source}: section {Describe(byOffset[i].Id)} at offset {byOffset[i].Offset} overlaps section {Describe(previous.Id)} ({previous.Length} bytes at offset {previous.Offset})");
        }

        var directory = new SectionDirectory();
        foreach (var e in entries)
            if (Enum.IsDefined((SectionId)e.Id)) directory._known[(SectionId)e.Id] = e;
        foreach (var id in VersionOneSections)
            if (!directory._known.ContainsKey(id))
                throw new ModelFormatException($"{source}: the file has no {id} section");
        return directory;
    }

    private static string KnownName(uint id) => Enum.IsDefined((SectionId)id) ? $" = {(SectionId)id}" : "";

    private static string Describe(uint id) => Enum.IsDefined((SectionId)id) ? ((SectionId)id).ToString() : $"id {id}";
}
