using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;
using Google.Protobuf;

namespace EdgeCnn.Compiler.Tests.Onnx;

public class TensorProtoIoTests
{
    public static TheoryData<ElementType> FloatTypes => new() { ElementType.Float32, ElementType.Float64, ElementType.Float16, ElementType.BFloat16 };

    public static TheoryData<ElementType> IntegerTypes => new()
    {
        ElementType.Int64, ElementType.Int32, ElementType.Int16, ElementType.Int8,
        ElementType.UInt8, ElementType.UInt16, ElementType.UInt32, ElementType.Bool,
    };

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Float_tensors_round_trip(ElementType type)
    {
        // Values exactly representable in every floating type, including bfloat16's 8-bit mantissa.
        float[] values = [0f, 1f, -2f, 0.5f, 3.75f, -1024f];
        var bytes = TensorProtoIo.ToBytes(TensorData.FromFloats([2, 3], values, type), "t");

        var back = TensorProtoIo.FromBytes(bytes, "t.pb", out var name);

        Assert.Equal("t", name);
        Assert.Equal(type, back.Type);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal(values, back.Floats);
    }

    [Theory]
    [MemberData(nameof(IntegerTypes))]
    public void Integer_tensors_round_trip(ElementType type)
    {
        long[] values = type == ElementType.Bool ? [0, 1, 1, 0] : [0, 1, 100, type is ElementType.UInt8 or ElementType.UInt16 or ElementType.UInt32 ? 7 : -5];
        var back = TensorProtoIo.FromBytes(TensorProtoIo.ToBytes(TensorData.FromLongs([4], values, type)), "t.pb");

        Assert.Equal(type, back.Type);
        Assert.Equal(values, back.Longs);
    }

    [Fact]
    public void Raw_data_is_little_endian_with_the_ONNX_element_sizes()
    {
        var proto = TensorProto.Parser.ParseFrom(TensorProtoIo.ToBytes(TensorData.FromFloats([2], [1f, -2f], ElementType.Float16)));
        // IEEE half: 1.0 = 0x3C00, -2.0 = 0xC000.
        Assert.Equal(new byte[] { 0x00, 0x3C, 0x00, 0xC0 }, proto.RawData.ToByteArray());

        proto = TensorProto.Parser.ParseFrom(TensorProtoIo.ToBytes(TensorData.FromLongs([1], [-2], ElementType.Int32)));
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF }, proto.RawData.ToByteArray());
        Assert.Equal((int)ElementType.Int32, proto.DataType);
    }

    [Fact]
    public void Typed_fields_are_read_for_every_type()
    {
        var f = new TensorProto { DataType = (int)ElementType.Float32, Dims = { 2 }, FloatData = { 1.5f, -3f } };
        var d = new TensorProto { DataType = (int)ElementType.Float64, Dims = { 1 }, DoubleData = { 0.25 } };
        var h = new TensorProto { DataType = (int)ElementType.Float16, Dims = { 2 }, Int32Data = { 0x3C00, 0xC000 } };
        var bf = new TensorProto { DataType = (int)ElementType.BFloat16, Dims = { 1 }, Int32Data = { 0x3F80 } };
        var l = new TensorProto { DataType = (int)ElementType.Int64, Dims = { 2 }, Int64Data = { long.MinValue, 9 } };
        var i8 = new TensorProto { DataType = (int)ElementType.Int8, Dims = { 2 }, Int32Data = { -128, 127 } };
        var u8 = new TensorProto { DataType = (int)ElementType.UInt8, Dims = { 1 }, Int32Data = { 255 } };
        var b = new TensorProto { DataType = (int)ElementType.Bool, Dims = { 2 }, Int32Data = { 1, 0 } };
        var u64 = new TensorProto { DataType = (int)ElementType.UInt64, Dims = { 1 }, Uint64Data = { 42 } };

        Assert.Equal([1.5f, -3f], Read(f).Floats);
        Assert.Equal([0.25f], Read(d).Floats);
        Assert.Equal([1f, -2f], Read(h).Floats);
        Assert.Equal([1f], Read(bf).Floats);
        Assert.Equal([long.MinValue, 9], Read(l).Longs);
        Assert.Equal([-128L, 127], Read(i8).Longs);
        Assert.Equal([255L], Read(u8).Longs);
        Assert.Equal([1L, 0], Read(b).Longs);
        Assert.Equal([42L], Read(u64).Longs);
    }

    [Fact]
    public void Scalar_without_data_is_an_error_naming_the_tensor()
    {
        var ex = Assert.Throws<OnnxImportException>(() => TensorProtoIo.FromBytes(new TensorProto { Name = "s", DataType = 1 }.ToByteArray(), "s.pb"));
        Assert.Contains("tensor 's'", ex.Message);
        Assert.Contains("s.pb", ex.Message);
    }

    [Fact]
    public void Inconsistent_or_unsupported_tensors_throw_OnnxImportException()
    {
        var shortRaw = new TensorProto { Name = "w", DataType = 1, Dims = { 3 }, RawData = ByteString.CopyFrom(new byte[8]) };
        var negativeDim = new TensorProto { DataType = 1, Dims = { -1 }, FloatData = { 1f } };
        var strings = new TensorProto { DataType = (int)TensorProto.Types.DataType.String, Dims = { 1 }, StringData = { ByteString.CopyFromUtf8("a") } };
        var complex = new TensorProto { DataType = (int)TensorProto.Types.DataType.Complex64, Dims = { 1 }, FloatData = { 1f, 2f } };
        var huge = new TensorProto { DataType = 1, Dims = { int.MaxValue, int.MaxValue } };
        var external = new TensorProto { DataType = 1, Dims = { 1 }, DataLocation = TensorProto.Types.DataLocation.External };

        Assert.Contains("raw_data has 8 bytes", Assert.Throws<OnnxImportException>(() => Read(shortRaw)).Message);
        Assert.Contains("dimension 0 is -1", Assert.Throws<OnnxImportException>(() => Read(negativeDim)).Message);
        Assert.Contains("String", Assert.Throws<OnnxImportException>(() => Read(strings)).Message);
        Assert.Contains("Complex64", Assert.Throws<OnnxImportException>(() => Read(complex)).Message);
        Assert.Contains("too large", Assert.Throws<OnnxImportException>(() => Read(huge)).Message);
        Assert.Contains("no location", Assert.Throws<OnnxImportException>(() => Read(external)).Message);
        Assert.Throws<OnnxImportException>(() => TensorProtoIo.FromBytes(new byte[] { 0x0A, 0xFF }, "bad.pb"));
    }

    [Fact]
    public void External_data_is_read_relative_to_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("edgecnn-ext-");
        try
        {
            var payload = new byte[16];
            BitConverter.TryWriteBytes(payload.AsSpan(8), 2.5f);
            BitConverter.TryWriteBytes(payload.AsSpan(12), -1f);
            File.WriteAllBytes(Path.Combine(dir.FullName, "weights.bin"), payload);
            var proto = new TensorProto
            {
                Name = "w", DataType = 1, Dims = { 2 }, DataLocation = TensorProto.Types.DataLocation.External,
                ExternalData =
                {
                    new StringStringEntryProto { Key = "location", Value = "weights.bin" },
                    new StringStringEntryProto { Key = "offset", Value = "8" },
                    new StringStringEntryProto { Key = "length", Value = "8" },
                },
            };
            var path = Path.Combine(dir.FullName, "w.pb");
            File.WriteAllBytes(path, proto.ToByteArray());

            Assert.Equal([2.5f, -1f], TensorProtoIo.Read(path).Floats);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Write_and_Read_use_files()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgecnn-tensor-{Guid.NewGuid():N}.pb");
        try
        {
            TensorProtoIo.Write(path, TensorData.FromFloats([1, 2], [7f, 8f]), "output_0");
            var t = TensorProtoIo.Read(path, out var name);
            Assert.Equal("output_0", name);
            Assert.Equal([1, 2], t.Shape);
            Assert.Equal([7f, 8f], t.Floats);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<OnnxImportException>(() => TensorProtoIo.Read(path));
    }

    private static TensorData Read(TensorProto proto) => TensorProtoIo.FromBytes(proto.ToByteArray(), "t.pb");
}
