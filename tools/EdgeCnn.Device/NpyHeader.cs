using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EdgeCnn.Device;

/// <summary>
/// The header of a NumPy .npy file (format versions 1 to 3): the magic, a length, then a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (1, 1, 28, 28), }</c>. Only what a model input needs is kept.
/// </summary>
public sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape, int DataOffset)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int d in Shape) count *= d;
            return count;
        }
    }

    /// <summary>Parses the header at the start of <paramref name="file"/>; <paramref name="path"/> names the file in errors.</summary>
    public static NpyHeader Parse(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a .npy file (the magic \\x93NUMPY is missing)");
        byte major = file[6];
        int lengthSize = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new InvalidDataException($"{path}: .npy format version {major} is not supported (1 to 3 are)"),
        };
        int start = 8 + lengthSize;
        if (file.Length < start)
            throw new InvalidDataException($"{path}: the .npy header length is cut off");
        long headerLength = lengthSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(8, 2))
            : BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(8, 4));
        if (headerLength > file.Length - start)
            throw new InvalidDataException($"{path}: the .npy header claims {headerLength} bytes but the file has {file.Length - start} after the length");
        // Version 3 allows UTF-8 in the header; 1 and 2 are Latin-1, whose ASCII part is all a valid header uses.
        string dict = Encoding.UTF8.GetString(file.Slice(start, (int)headerLength));
        return new NpyHeader(
            StringField(dict, "descr", path),
            BoolField(dict, "fortran_order", path),
            ShapeField(dict, path),
            start + (int)headerLength);
    }

    private static int ValueStart(string dict, string key, string path)
    {
        int k = dict.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (k < 0) throw new InvalidDataException($"{path}: the .npy header has no '{key}' entry");
        int colon = dict.IndexOf(':', k + key.Length + 2);
        if (colon < 0) throw new InvalidDataException($"{path}: the .npy header's '{key}' entry has no value");
        int v = colon + 1;
        while (v < dict.Length && dict[v] == ' ') v++;
        return v;
    }

    private static string StringField(string dict, string key, string path)
    {
        int v = ValueStart(dict, key, path);
        if (v >= dict.Length || dict[v] != '\'') throw new InvalidDataException($"{path}: the .npy header's '{key}' is not a string");
        int end = dict.IndexOf('\'', v + 1);
        if (end < 0) throw new InvalidDataException($"{path}: the .npy header's '{key}' string is not closed");
        return dict[(v + 1)..end];
    }

    private static bool BoolField(string dict, string key, string path)
    {
        int v = ValueStart(dict, key, path);
        if (string.CompareOrdinal(dict, v, "True", 0, 4) == 0) return true;
        if (string.CompareOrdinal(dict, v, "False", 0, 5) == 0) return false;
        throw new InvalidDataException($"{path}: the .npy header's '{key}' is neither True nor False");
    }

    private static int[] ShapeField(string dict, string path)
    {
        int v = ValueStart(dict, "shape", path);
        int end = v < dict.Length && dict[v] == '(' ? dict.IndexOf(')', v) : -1;
        if (end < 0) throw new InvalidDataException($"{path}: the .npy header's 'shape' is not a tuple");
        var dims = new List<int>();
        foreach (string part in dict[(v + 1)..end].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                throw new InvalidDataException($"{path}: the .npy shape entry '{part}' is not a non-negative integer");
            dims.Add(d);
        }
        return dims.ToArray();
    }
}
