using System.Buffers.Binary;
using System.Text;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Cli.Tests.IO;

public class NpyFileTests
{
    /// <summary>Builds a .npy file by hand from the format description (magic, version, header length, dict, data).</summary>
    private static byte[] HandMade(string dict, byte[] data, int major = 1)
    {
        int preamble = major == 1 ? 10 : 12;
        string header = dict;
        while ((preamble + header.Length + 1) % 64 != 0) header += " ";
        header += "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.Add((byte)major);
        bytes.Add(0);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Floats(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Reads_float32_v1()
    {
        var file = HandMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, 6.5f));
        var t = NpyFile.Parse(file, "a.npy");
        Assert.Equal(ElementType.Float32, t.Type);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6.5f], t.Floats);
    }

    [Fact]
    public void Reads_float64_and_int64_and_v2_headers()
    {
        var doubles = new[] { 0.25, -1.5 }.SelectMany(BitConverter.GetBytes).ToArray();
        var d = NpyFile.Parse(HandMade("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", doubles, major: 2), "d.npy");
        Assert.Equal(ElementType.Float64, d.Type);
        Assert.Equal([0.25f, -1.5f], d.Floats);

        var longs = new[] { 7L, -3L, long.MaxValue }.SelectMany(BitConverter.GetBytes).ToArray();
        var l = NpyFile.Parse(HandMade("{'shape': (3,), 'fortran_order': False, 'descr': '<i8'}", longs), "l.npy");
        Assert.Equal(ElementType.Int64, l.Type);
        Assert.Equal([7L, -3L, long.MaxValue], l.Longs);
    }

    [Fact]
    public void Reads_scalars_and_big_endian()
    {
        var be = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(be, 3.25f);
        var t = NpyFile.Parse(HandMade("{'descr': '>f4', 'fortran_order': False, 'shape': (), }", be), "s.npy");
        Assert.Empty(t.Shape);
        Assert.Equal([3.25f], t.Floats);
    }

    [Fact]
    public void Writes_what_numpy_writes()
    {
        var t = TensorData.FromFloats([2, 3], [1, 2, 3, 4, 5, 6]);
        var bytes = NpyFile.ToBytes(t);
        // numpy 1.x/2.x: version 1.0, header padded with spaces to a 64-byte boundary, ending in '\n'.
        var expected = HandMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, 6));
        Assert.Equal(expected, bytes);
        Assert.Equal(0, (bytes.Length - 24) % 64);
    }

    [Theory]
    [InlineData(ElementType.Float32)]
    [InlineData(ElementType.Float64)]
    [InlineData(ElementType.Int64)]
    [InlineData(ElementType.Int32)]
    [InlineData(ElementType.UInt8)]
    public void Round_trips(ElementType type)
    {
        var t = type.IsFloatingPoint()
            ? TensorData.FromFloats([1, 2, 2], [0.5f, -2, 3, 100], type)
            : TensorData.FromLongs([1, 2, 2], [0, 1, 2, 255], type);
        using var dir = new TempDirectory();
        string path = dir.File("t.npy");
        NpyFile.Write(path, t);
        var back = NpyFile.Read(path);
        Assert.Equal(type, back.Type);
        Assert.Equal(t.Shape, back.Shape);
        Assert.Equal(t.AsFloats(), back.AsFloats());
    }

    [Fact]
    public void One_dimensional_shape_keeps_the_trailing_comma()
    {
        var text = Encoding.ASCII.GetString(NpyFile.ToBytes(TensorData.FromLongs([4], [1, 2, 3, 4])));
        Assert.Contains("'shape': (4,)", text);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", "Fortran")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }", "'<c8' is not supported")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", "needs 32 bytes")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", "'shape' is missing")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", "not a dimension")]
    public void Rejects_bad_headers_naming_the_file(string dict, string reason)
    {
        var ex = Assert.Throws<InputFileException>(() => NpyFile.Parse(HandMade(dict, Floats(1, 2, 3, 4, 5, 6)), "bad.npy"));
        Assert.Contains("'bad.npy'", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Rejects_non_npy_and_truncated_files()
    {
        Assert.Contains("magic", Assert.Throws<InputFileException>(() => NpyFile.Parse("hello world"u8, "x.npy")).Message);
        var good = HandMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, 6));
        for (int cut = 0; cut < good.Length; cut += 7)
            Assert.Throws<InputFileException>(() => NpyFile.Parse(good.AsSpan(0, cut), "cut.npy"));
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var ex = Assert.Throws<InputFileException>(() => NpyFile.Read("/no/such/file.npy"));
        Assert.Contains("/no/such/file.npy", ex.Message);
        Assert.Contains("not found", ex.Message);
    }
}
