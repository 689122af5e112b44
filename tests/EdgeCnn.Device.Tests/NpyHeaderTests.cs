namespace EdgeCnn.Device.Tests;

public class NpyHeaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ParsesDescrOrderAndShapeInEveryVersion(byte major)
    {
        byte[] file = NpyBytes.Create("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 28, 28), }", [], major);
        var header = NpyHeader.Parse(file, "x.npy");
        Assert.Equal("<f4", header.Descr);
        Assert.False(header.FortranOrder);
        Assert.Equal([1, 3, 28, 28], header.Shape);
        Assert.Equal(1L * 3 * 28 * 28, header.ElementCount);
        Assert.Equal(file.Length, header.DataOffset);
        Assert.Equal(0, header.DataOffset % 64);
    }

    [Fact]
    public void OneDimensionalAndScalarShapes()
    {
        Assert.Equal([7], NpyHeader.Parse(NpyBytes.Create("{'descr': '<f8', 'fortran_order': True, 'shape': (7,), }", []), "a").Shape);
        var scalar = NpyHeader.Parse(NpyBytes.Create("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", []), "b");
        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.ElementCount);
    }

    [Fact]
    public void FortranOrderIsRead()
    {
        var header = NpyHeader.Parse(NpyBytes.Create("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", []), "f.npy");
        Assert.True(header.FortranOrder);
    }

    [Fact]
    public void WrongMagicNamesTheFile()
    {
        byte[] file = NpyBytes.Create("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", []);
        file[1] = (byte)'X';
        var e = Assert.Throws<InvalidDataException>(() => NpyHeader.Parse(file, "bad.npy"));
        Assert.Contains("bad.npy", e.Message);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void UnknownVersionIsRefused()
    {
        byte[] file = NpyBytes.Create("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", []);
        file[6] = 9;
        Assert.Contains("version 9", Assert.Throws<InvalidDataException>(() => NpyHeader.Parse(file, "v.npy")).Message);
    }

    [Fact]
    public void HeaderLongerThanTheFileIsRefused()
    {
        byte[] file = NpyBytes.Create("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", []);
        Assert.Contains("header claims", Assert.Throws<InvalidDataException>(() => NpyHeader.Parse(file.AsSpan(0, 40), "cut.npy")).Message);
        Assert.Throws<InvalidDataException>(() => NpyHeader.Parse(file.AsSpan(0, 9), "tiny.npy"));
        Assert.Throws<InvalidDataException>(() => NpyHeader.Parse([], "empty.npy"));
    }

    [Theory]
    [InlineData("{'fortran_order': False, 'shape': (1,), }", "'descr'")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, -2), }", "'-2'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [1, 2], }", "not a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }", "neither True nor False")]
    [InlineData("{'descr': <f4, 'fortran_order': False, 'shape': (1,), }", "not a string")]
    public void MalformedEntriesAreNamed(string dict, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyHeader.Parse(NpyBytes.Create(dict, []), "m.npy"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("m.npy: ", e.Message);
    }
}
