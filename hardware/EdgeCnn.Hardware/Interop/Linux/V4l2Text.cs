using System.Text;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>Reads the NUL-padded fixed-size strings of the V4L2 structs.</summary>
internal static class V4l2Text
{
    public static unsafe string Read(byte* text, int capacity)
    {
        var bytes = new ReadOnlySpan<byte>(text, capacity);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
