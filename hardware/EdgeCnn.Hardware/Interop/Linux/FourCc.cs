namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>V4L2 pixel format codes: four ASCII characters, the first in the lowest byte (v4l2_fourcc).</summary>
internal static class FourCc
{
    public static uint From(string code)
    {
        if (code.Length != 4)
            throw new ArgumentException($"A fourcc has four characters, got '{code}'.", nameof(code));
        return code[0] | ((uint)code[1] << 8) | ((uint)code[2] << 16) | ((uint)code[3] << 24);
    }

    /// <summary>The four characters; non-printable bytes (and the big-endian flag bit 31) shown as '?'.</summary>
    public static string ToText(uint code)
    {
        Span<char> text = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            uint c = (code >> (8 * i)) & 0xFF;
            text[i] = c is >= 0x20 and < 0x7F ? (char)c : '?';
        }
        return new string(text);
    }
}
