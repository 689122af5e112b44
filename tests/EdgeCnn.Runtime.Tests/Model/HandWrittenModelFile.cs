using System.Buffers.Binary;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Model;

/// <summary>
/// Assembles .ecnn bytes by hand, field by field, from docs/model-format.md — without the compiler's
/// writer — so the reader is checked against the specification itself.
/// </summary>
internal static class HandWrittenModelFile
{
    /// <summary>y = x · w with x a [1,4] input and w a [4] constant (2, 3, 5, 7); output y.</summary>
    public static byte[] MulByConstant()
    {
        var strings = Section(w =>
        {
            w.Write(3u);
            foreach (var s in new[] { "x", "w", "y" })
            {
                w.Write((uint)s.Length);
                w.Write(System.Text.Encoding.UTF8.GetBytes(s));
            }
        });
        var tensors = Section(w =>
        {
            w.Write(3u);
            Tensor(w, name: 0, type: 1, kind: 1, offset: 0, 1, 4);
            Tensor(w, name: 1, type: 1, kind: 2, offset: 16, 4);
            Tensor(w, name: 2, type: 1, kind: 0, offset: 0, 1, 4);
        });
        var ops = Section(w =>
        {
            w.Write(1u);
            w.Write((ushort)21);   // Binary
            w.Write((ushort)1);    // one parameter
            w.Write(2u);           // named "y"
            w.Write(2u);
            w.Write(1u);
            w.Write(0);
            w.Write(1);
            w.Write(2);
            w.Write((ushort)25);   // Kind
            w.Write((byte)1);      // i32 list
            w.Write((byte)0);
            w.Write(1u);
            w.Write(3);            // Mul
        });
        var graph = Section(w =>
        {
            w.Write(1u);
            w.Write(0);
            w.Write(1u);
            w.Write(2);
        });
        var weights = Section(w =>
        {
            w.Write(new byte[16]); // the constant sits at blob offset 16
            foreach (var v in new[] { 2f, 3f, 5f, 7f }) w.Write(v);
        });
        return Assemble([(1, strings), (2, tensors), (3, ops), (4, graph), (5, weights)]);
    }

    /// <summary>Header, section table (every section required) and 16-byte aligned sections with zero padding.</summary>
    public static byte[] Assemble(IReadOnlyList<(uint Id, byte[] Content)> sections)
    {
        int position = 32 + 24 * sections.Count;
        var offsets = new int[sections.Count];
        for (int i = 0; i < sections.Count; i++)
        {
            position = (position + 15) / 16 * 16;
            offsets[i] = position;
            position += sections[i].Content.Length;
        }
        var file = new byte[position];
        "ECNN\r\n\u001a\n"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), (uint)sections.Count);
        for (int i = 0; i < sections.Count; i++)
        {
            var entry = file.AsSpan(32 + 24 * i);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, sections[i].Id);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], (ulong)sections[i].Content.Length);
            sections[i].Content.CopyTo(file, offsets[i]);
        }
        Resign(file);
        return file;
    }

    /// <summary>Recomputes the checksum (Crc32 itself is checked against a bitwise reference in Crc32Tests).</summary>
    public static void Resign(byte[] file) =>
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), Crc32.Compute(file.AsSpan(32)));

    private static void Tensor(BinaryWriter w, uint name, byte type, byte kind, ulong offset, params int[] dims)
    {
        w.Write(name);
        w.Write(type);
        w.Write(kind);
        w.Write((byte)dims.Length);
        w.Write((byte)0);
        w.Write(offset);
        foreach (var d in dims) w.Write(d);
    }

    private static byte[] Section(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) write(writer);
        return stream.ToArray();
    }
}
