namespace EdgeCnn.Device.Tests;

public class TensorFileTests
{
    private const string Dict4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2), }";

    [Fact]
    public void Float32NpyValuesArriveUnchanged()
    {
        float[] values = [0f, -1.5f, float.MaxValue, 1e-30f];
        var destination = new float[4];
        TensorFile.ReadNpy(NpyBytes.Create(Dict4, NpyBytes.Floats(values)), "a.npy", destination, "input");
        Assert.Equal(values, destination);
    }

    [Fact]
    public void Float64NpyIsNarrowedToFloat32()
    {
        double[] values = [0.1, -2.25, 1e10, 1.0 / 3];
        var destination = new float[4];
        TensorFile.ReadNpy(NpyBytes.Create("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", NpyBytes.Doubles(values)), "d.npy", destination, "input");
        Assert.Equal(values.Select(v => (float)v).ToArray(), destination);
    }

    [Fact]
    public void ElementCountMismatchNamesFileShapeAndInput()
    {
        var e = Assert.Throws<DeviceUsageException>(() =>
            TensorFile.ReadNpy(NpyBytes.Create(Dict4, NpyBytes.Floats(1, 2, 3, 4)), "small.npy", new float[6], "pixels"));
        Assert.Contains("small.npy", e.Message);
        Assert.Contains("(1, 2, 2)", e.Message);
        Assert.Contains("'pixels'", e.Message);
    }

    [Fact]
    public void TruncatedDataIsRefused()
    {
        var e = Assert.Throws<DeviceUsageException>(() =>
            TensorFile.ReadNpy(NpyBytes.Create(Dict4, NpyBytes.Floats(1, 2, 3)), "cut.npy", new float[4], "input"));
        Assert.Contains("12 data bytes", e.Message);
    }

    [Theory]
    [InlineData("|u1")]
    [InlineData(">f4")]
    [InlineData("<i4")]
    public void OtherDtypesAreRefused(string descr)
    {
        byte[] file = NpyBytes.Create($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (4,), }}", new byte[16]);
        Assert.Contains($"'{descr}'", Assert.Throws<DeviceUsageException>(() => TensorFile.ReadNpy(file, "t.npy", new float[4], "input")).Message);
    }

    [Fact]
    public void FortranOrderIsRefused()
    {
        byte[] file = NpyBytes.Create("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", NpyBytes.Floats(1, 2, 3, 4));
        Assert.Contains("Fortran", Assert.Throws<DeviceUsageException>(() => TensorFile.ReadNpy(file, "f.npy", new float[4], "input")).Message);
    }

    [Fact]
    public void HeaderErrorsBecomeUsageErrors()
    {
        Assert.Contains("not.npy", Assert.Throws<DeviceUsageException>(() => TensorFile.ReadNpy(new byte[20], "not.npy", new float[1], "input")).Message);
    }

    [Fact]
    public void RawFloatsAreLittleEndian()
    {
        byte[] file = [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]; // 1.0f, -2.0f
        var destination = new float[2];
        TensorFile.ReadRaw(file, "r.bin", destination, "input");
        Assert.Equal([1f, -2f], destination);
    }

    [Fact]
    public void RawSizeMismatchNamesBytesAndInput()
    {
        var e = Assert.Throws<DeviceUsageException>(() => TensorFile.ReadRaw(new byte[10], "r.bin", new float[2], "image"));
        Assert.Contains("10 bytes", e.Message);
        Assert.Contains("'image' takes 2 float32 values (8 bytes)", e.Message);
    }

    [Fact]
    public void MissingFileIsAUsageError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgecnn-device-missing-{Guid.NewGuid():N}.npy");
        Assert.Contains(path, Assert.Throws<DeviceUsageException>(() => TensorFile.Read(path, new float[1], "input")).Message);
    }
}
