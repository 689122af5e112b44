using System.Text;

namespace EdgeCnn.Device.Tests;

/// <summary>Builds .npy files the way numpy.save lays them out (written here from the format description, not by the code under test).</summary>
internal static class NpyBytes
{
    public static byte[] Create(string dict, ReadOnlySpan<byte> data, byte major = 1)
    {
        int lengthSize = major == 1 ? 2 : 4;
        // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
        int unpadded = 8 + lengthSize + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.Add(major);
        bytes.Add(0);
        if (lengthSize == 2) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data.ToArray());
        return bytes.ToArray();
    }

    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Doubles(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
