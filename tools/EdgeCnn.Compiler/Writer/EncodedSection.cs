using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>The bytes of one section of an .ecnn file, before it is placed in the file.</summary>
internal sealed record EncodedSection(uint Id, SectionFlags Flags, ReadOnlyMemory<byte> Content)
{
    public static EncodedSection Required(SectionId id, ReadOnlyMemory<byte> content) =>
        new((uint)id, SectionFlags.Required, content);
}
