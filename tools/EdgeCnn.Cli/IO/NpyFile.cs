using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Cli.IO;

/// <summary>
/// NumPy's .npy format (versions 1.0, 2.0 and 3.0): magic "\x93NUMPY", version bytes, a little-endian
/// header length, a Python-literal dict header ('descr', 'fortran_order', 'shape') and the raw array.
/// Only C-order arrays of plain numeric types are read; anything else is rejected with the reason.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    // numpy pads the header so the data starts on a 64-byte boundary (required for memory mapping).
    private const int HeaderAlignment = 64;

    public static TensorData Read(string path) => Parse(InputFileException.ReadAllBytes(path), path);

    public static TensorData Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new InputFileException(source, "not a .npy file (missing the \\x93NUMPY magic)");
        int major = bytes[6];
        int headerStart, headerLength;
        switch (major)
        {
            case 1:
                headerStart = 10;
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                break;
            case 2 or 3:
                if (bytes.Length < 12) throw new InputFileException(source, "truncated .npy header");
                headerStart = 12;
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                if (length > int.MaxValue) throw new InputFileException(source, $".npy header length {length} is too large");
                headerLength = (int)length;
                break;
            default:
                throw new InputFileException(source, $".npy format version {major}.{bytes[7]} is not supported (1.0, 2.0, 3.0 are)");
        }
        if ((long)headerStart + headerLength > bytes.Length)
            throw new InputFileException(source, $".npy header claims {headerLength} bytes, the file has {bytes.Length - headerStart} after the preamble");

        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        var header = NpyHeader.Parse(encoding.GetString(bytes.Slice(headerStart, headerLength)), source);
        if (header.FortranOrder)
            throw new InputFileException(source, "Fortran-order arrays are not supported; save with np.ascontiguousarray");
        var (type, size, bigEndian) = ParseDescr(header.Descr, source);

        long count = 1;
        foreach (var d in header.Shape) count = checked(count * d);
        var data = bytes[(headerStart + headerLength)..];
        if (count > Array.MaxLength || count * size != data.Length)
            throw new InputFileException(source, $"shape ({string.Join(", ", header.Shape)}) of '{header.Descr}' needs {count * size} bytes of data, the file has {data.Length}");
        return Decode(data, type, size, bigEndian, header.Shape, (int)count);
    }

    private static TensorData Decode(ReadOnlySpan<byte> data, ElementType type, int size, bool bigEndian, int[] shape, int count)
    {
        if (type.IsFloatingPoint())
        {
            var f = new float[count];
            for (int i = 0; i < count; i++)
            {
                var s = data.Slice(i * size, size);
                f[i] = (type, bigEndian) switch
                {
                    (ElementType.Float32, false) => BinaryPrimitives.ReadSingleLittleEndian(s),
                    (ElementType.Float32, true) => BinaryPrimitives.ReadSingleBigEndian(s),
                    (_, false) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
                    (_, true) => (float)BinaryPrimitives.ReadDoubleBigEndian(s),
                };
            }
            return TensorData.FromFloats(shape, f, type);
        }
        var l = new long[count];
        for (int i = 0; i < count; i++)
        {
            var s = data.Slice(i * size, size);
            l[i] = (type, bigEndian) switch
            {
                (ElementType.Int64, false) => BinaryPrimitives.ReadInt64LittleEndian(s),
                (ElementType.Int64, true) => BinaryPrimitives.ReadInt64BigEndian(s),
                (ElementType.Int32, false) => BinaryPrimitives.ReadInt32LittleEndian(s),
                (ElementType.Int32, true) => BinaryPrimitives.ReadInt32BigEndian(s),
                (ElementType.Int8, _) => (sbyte)s[0],
                (ElementType.Bool, _) => s[0] != 0 ? 1 : 0,
                _ => s[0],
            };
        }
        return TensorData.FromLongs(shape, l, type);
    }

    private static (ElementType Type, int Size, bool BigEndian) ParseDescr(string descr, string source)
    {
        if (descr.Length < 3)
            throw new InputFileException(source, $".npy dtype '{descr}' is not supported");
        char order = descr[0];
        string kind = descr[1..];
        (ElementType type, int size) = kind switch
        {
            "f4" => (ElementType.Float32, 4),
            "f8" => (ElementType.Float64, 8),
            "i8" => (ElementType.Int64, 8),
            "i4" => (ElementType.Int32, 4),
            "i1" => (ElementType.Int8, 1),
            "u1" => (ElementType.UInt8, 1),
            "b1" => (ElementType.Bool, 1),
            _ => throw new InputFileException(source, $".npy dtype '{descr}' is not supported (float32, float64, int64, int32, int8, uint8, bool are)"),
        };
        bool bigEndian = order switch
        {
            '<' or '|' => false,
            '=' => !BitConverter.IsLittleEndian,
            '>' => size > 1,
            _ => throw new InputFileException(source, $".npy dtype '{descr}' has an unknown byte-order mark '{order}'"),
        };
        return (type, size, bigEndian);
    }

    public static void Write(string path, TensorData data) => File.WriteAllBytes(path, ToBytes(data));

    public static byte[] ToBytes(TensorData data)
    {
        (string descr, int size) = data.Type switch
        {
            ElementType.Float32 => ("<f4", 4),
            ElementType.Float64 => ("<f8", 8),
            ElementType.Int64 => ("<i8", 8),
            ElementType.Int32 => ("<i4", 4),
            ElementType.Int8 => ("|i1", 1),
            ElementType.UInt8 => ("|u1", 1),
            ElementType.Bool => ("|b1", 1),
            _ => throw new ArgumentException($"cannot write {data.Type.OnnxName()} tensors as .npy", nameof(data)),
        };
        string shape = data.Shape.Length switch
        {
            0 => "()",
            1 => $"({data.Shape[0]},)",
            _ => "(" + string.Join(", ", data.Shape) + ")",
        };
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        bool v1 = dict.Length + 11 <= ushort.MaxValue;
        int preamble = v1 ? 10 : 12;
        int total = (preamble + dict.Length + 1 + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        string header = dict.PadRight(total - preamble - 1) + "\n";

        int count = checked((int)data.Count);
        var bytes = new byte[checked(total + count * size)];
        Magic.CopyTo(bytes, 0);
        bytes[6] = (byte)(v1 ? 1 : 2);
        bytes[7] = 0;
        if (v1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        Encoding.Latin1.GetBytes(header, bytes.AsSpan(preamble));

        var body = bytes.AsSpan(total);
        for (int i = 0; i < count; i++)
        {
            var s = body.Slice(i * size, size);
            switch (data.Type)
            {
                case ElementType.Float32: BinaryPrimitives.WriteSingleLittleEndian(s, data.Floats![i]); break;
                case ElementType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(s, data.Floats![i]); break;
                case ElementType.Int64: BinaryPrimitives.WriteInt64LittleEndian(s, data.Longs![i]); break;
                case ElementType.Int32: BinaryPrimitives.WriteInt32LittleEndian(s, checked((int)data.Longs![i])); break;
                case ElementType.Bool: s[0] = data.Longs![i] != 0 ? (byte)1 : (byte)0; break;
                default: s[0] = unchecked((byte)data.Longs![i]); break;
            }
        }
        return bytes;
    }
}
