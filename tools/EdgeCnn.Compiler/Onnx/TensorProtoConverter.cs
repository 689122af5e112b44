using System.Buffers.Binary;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// TensorProto ⇄ <see cref="TensorData"/>. Reading accepts both raw_data and the typed fields
/// (exporters use either); writing always uses raw_data, which every ONNX reader accepts.
/// </summary>
internal static class TensorProtoConverter
{
    /// <summary>Size in bytes of one element in raw_data, or 0 for types EdgeCnn cannot hold.</summary>
    public static int ElementSize(ElementType type) => type switch
    {
        ElementType.Float32 or ElementType.Int32 or ElementType.UInt32 => 4,
        ElementType.Float64 or ElementType.Int64 or ElementType.UInt64 => 8,
        ElementType.Float16 or ElementType.BFloat16 or ElementType.Int16 or ElementType.UInt16 => 2,
        ElementType.Int8 or ElementType.UInt8 or ElementType.Bool => 1,
        _ => 0,
    };

    /// <summary>Maps an ONNX data-type code to an element type EdgeCnn can hold; null otherwise.</summary>
    public static ElementType? ToElementType(int onnxCode) =>
        Enum.IsDefined(typeof(ElementType), onnxCode) && onnxCode is not (0 or (int)ElementType.String)
            ? (ElementType)onnxCode
            : null;

    /// <summary>Converts a TensorProto; <paramref name="what"/> names it in error messages
    /// (e.g. "initializer 'conv1.w' in model.onnx"). <paramref name="externalDirectory"/> resolves
    /// external data (null when the model was not loaded from a file).</summary>
    public static TensorData FromProto(TensorProto proto, string what, string? externalDirectory = null)
    {
        var type = ToElementType(proto.DataType)
            ?? throw new OnnxImportException($"{what}: data type {DataTypeName(proto.DataType)} is not supported");
        var shape = new int[proto.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0 || d > int.MaxValue)
                throw new OnnxImportException($"{what}: dimension {i} is {d}");
            shape[i] = (int)d;
            count *= d;
            if (count > Array.MaxLength)
                throw new OnnxImportException($"{what}: shape [{string.Join(',', proto.Dims)}] is too large");
        }
        if (proto.Segment is not null)
            throw new OnnxImportException($"{what}: segmented tensors are not supported");

        ReadOnlySpan<byte> raw = proto.RawData.Span;
        byte[]? external = null;
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            external = ReadExternal(proto, what, externalDirectory);
            raw = external;
        }

        int n = (int)count;
        if (raw.Length > 0 || external is not null)
            return FromRaw(type, shape, n, raw, what);
        return FromTyped(proto, type, shape, n, what);
    }

    private static TensorData FromRaw(ElementType type, int[] shape, int n, ReadOnlySpan<byte> raw, string what)
    {
        int size = ElementSize(type);
        if ((long)n * size != raw.Length)
            throw new OnnxImportException($"{what}: raw_data has {raw.Length} bytes, shape [{string.Join(',', shape)}] of {type.OnnxName()} needs {(long)n * size}");
        if (type.IsFloatingPoint())
        {
            var f = new float[n];
            for (int i = 0; i < n; i++)
            {
                var s = raw.Slice(i * size, size);
                f[i] = type switch
                {
                    ElementType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(s),
                    ElementType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
                    ElementType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(s),
                    _ => BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(s)),
                };
            }
            return TensorData.FromFloats(shape, f, type);
        }
        var l = new long[n];
        for (int i = 0; i < n; i++)
        {
            var s = raw.Slice(i * size, size);
            l[i] = type switch
            {
                ElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(s),
                ElementType.UInt64 => unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(s)),
                ElementType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(s),
                ElementType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(s),
                ElementType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(s),
                ElementType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(s),
                ElementType.Int8 => (sbyte)s[0],
                ElementType.Bool => s[0] != 0 ? 1 : 0,
                _ => s[0],
            };
        }
        return TensorData.FromLongs(shape, l, type);
    }

    private static TensorData FromTyped(TensorProto p, ElementType type, int[] shape, int n, string what)
    {
        int available = type switch
        {
            ElementType.Float32 => p.FloatData.Count,
            ElementType.Float64 => p.DoubleData.Count,
            ElementType.Int64 => p.Int64Data.Count,
            ElementType.UInt32 or ElementType.UInt64 => p.Uint64Data.Count,
            _ => p.Int32Data.Count,
        };
        if (available != n)
            throw new OnnxImportException($"{what}: has {available} {type.OnnxName()} values, shape [{string.Join(',', shape)}] needs {n}");
        if (type.IsFloatingPoint())
        {
            var f = new float[n];
            for (int i = 0; i < n; i++)
            {
                f[i] = type switch
                {
                    ElementType.Float32 => p.FloatData[i],
                    ElementType.Float64 => (float)p.DoubleData[i],
                    // 16-bit floats travel as their bit pattern in int32_data.
                    ElementType.Float16 => (float)BitConverter.UInt16BitsToHalf(unchecked((ushort)p.Int32Data[i])),
                    _ => BFloat16ToSingle(unchecked((ushort)p.Int32Data[i])),
                };
            }
            return TensorData.FromFloats(shape, f, type);
        }
        var l = new long[n];
        for (int i = 0; i < n; i++)
        {
            l[i] = type switch
            {
                ElementType.Int64 => p.Int64Data[i],
                ElementType.UInt32 or ElementType.UInt64 => unchecked((long)p.Uint64Data[i]),
                ElementType.Bool => p.Int32Data[i] != 0 ? 1 : 0,
                _ => p.Int32Data[i],
            };
        }
        return TensorData.FromLongs(shape, l, type);
    }

    private static byte[] ReadExternal(TensorProto proto, string what, string? directory)
    {
        string location = "";
        long offset = 0, length = -1;
        foreach (var e in proto.ExternalData)
        {
            switch (e.Key)
            {
                case "location": location = e.Value; break;
                case "offset" when long.TryParse(e.Value, out var o) && o >= 0: offset = o; break;
                case "length" when long.TryParse(e.Value, out var len) && len >= 0: length = len; break;
                case "offset" or "length": throw new OnnxImportException($"{what}: external data {e.Key} '{e.Value}' is not a valid integer");
            }
        }
        if (location.Length == 0) throw new OnnxImportException($"{what}: external data has no location");
        if (directory is null) throw new OnnxImportException($"{what}: external data '{location}' needs the model to be loaded from a file");
        string path = Path.Combine(directory, location);
        try
        {
            using var stream = File.OpenRead(path);
            long available = stream.Length - offset;
            if (available < 0) throw new OnnxImportException($"{what}: external data offset {offset} is past the end of '{path}'");
            if (length < 0) length = available;
            if (length > available || length > Array.MaxLength)
                throw new OnnxImportException($"{what}: external data '{path}' has {available} bytes after offset {offset}, {length} needed");
            var bytes = new byte[length];
            stream.Position = offset;
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (IOException ex)
        {
            throw new OnnxImportException($"{what}: cannot read external data '{path}': {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new OnnxImportException($"{what}: cannot read external data '{path}': {ex.Message}", ex);
        }
    }

    private static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private static ushort SingleToBFloat16(float v)
    {
        // Round to nearest even, as ONNX's helper does; NaN keeps a quiet NaN pattern.
        if (float.IsNaN(v)) return 0x7FC0;
        uint bits = BitConverter.SingleToUInt32Bits(v);
        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    public static string DataTypeName(int code) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), code) ? ((TensorProto.Types.DataType)code).ToString() : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static TensorProto ToProto(TensorData data, string name)
    {
        var proto = new TensorProto { Name = name, DataType = (int)data.Type };
        foreach (var d in data.Shape) proto.Dims.Add(d);
        int size = ElementSize(data.Type);
        int n = checked((int)data.Count);
        var raw = new byte[checked(n * size)];
        var span = raw.AsSpan();
        if (data.Floats is { } f)
        {
            for (int i = 0; i < n; i++)
            {
                var s = span.Slice(i * size, size);
                switch (data.Type)
                {
                    case ElementType.Float32: BinaryPrimitives.WriteSingleLittleEndian(s, f[i]); break;
                    case ElementType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(s, f[i]); break;
                    case ElementType.Float16: BinaryPrimitives.WriteHalfLittleEndian(s, (Half)f[i]); break;
                    default: BinaryPrimitives.WriteUInt16LittleEndian(s, SingleToBFloat16(f[i])); break;
                }
            }
        }
        else
        {
            var l = data.Longs!;
            for (int i = 0; i < n; i++)
            {
                var s = span.Slice(i * size, size);
                switch (size)
                {
                    case 8: BinaryPrimitives.WriteInt64LittleEndian(s, l[i]); break;
                    case 4: BinaryPrimitives.WriteInt32LittleEndian(s, unchecked((int)l[i])); break;
                    case 2: BinaryPrimitives.WriteInt16LittleEndian(s, unchecked((short)l[i])); break;
                    default: s[0] = data.Type == ElementType.Bool ? (byte)(l[i] != 0 ? 1 : 0) : unchecked((byte)l[i]); break;
                }
            }
        }
        proto.RawData = ByteString.CopyFrom(raw);
        return proto;
    }
}
