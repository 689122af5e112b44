namespace EdgeCnn.Compiler.Writer;

/// <summary>Writes unsigned LEB128 integers, the encoding the runtime's section cursor reads (7 bits per byte,
/// low groups first, high bit set while more bytes follow).</summary>
internal static class VarInt
{
    public static void Write(BinaryWriter w, uint value)
    {
        while (value >= 0x80)
        {
            w.Write((byte)(value | 0x80));
            value >>= 7;
        }
        w.Write((byte)value);
    }
}
