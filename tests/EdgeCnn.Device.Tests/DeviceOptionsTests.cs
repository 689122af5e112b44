using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Device.Tests;

public class DeviceOptionsTests
{
    [Fact]
    public void ModelInputsAndOptions()
    {
        var o = DeviceOptions.Parse(["m.ecnn", "a.npy", "--top", "3", "b.bin", "--labels", "l.txt", "--kernel-path", "advsimddp", "--repeat", "7", "--outputs", "--mapped"]);
        Assert.Equal("m.ecnn", o.ModelPath);
        Assert.Equal(["a.npy", "b.bin"], o.Inputs);
        Assert.Equal(3, o.Top);
        Assert.Equal("l.txt", o.LabelsPath);
        Assert.Equal(KernelPath.AdvSimdDp, o.KernelPath);
        Assert.Equal(7, o.Repeat);
        Assert.True(o.PrintOutputs);
        Assert.True(o.Mapped);
    }

    [Fact]
    public void Defaults()
    {
        var o = DeviceOptions.Parse(["m.ecnn"]);
        Assert.Empty(o.Inputs);
        Assert.Equal(5, o.Top);
        Assert.Equal(1, o.Repeat);
        Assert.Null(o.KernelPath);
        Assert.Null(o.LabelsPath);
        Assert.False(o.PrintOutputs);
        Assert.False(o.Mapped);
        Assert.Null(o.WatchDirectory);
    }

    [Fact]
    public void WatchTakesADirectory()
    {
        Assert.Equal("/var/lib/edgecnn/inbox", DeviceOptions.Parse(["m.ecnn", "--watch", "/var/lib/edgecnn/inbox"]).WatchDirectory);
        Assert.Contains("'--watch' needs a value", Assert.Throws<DeviceUsageException>(() => DeviceOptions.Parse(["m.ecnn", "--watch"])).Message);
    }

    [Theory]
    [InlineData(new string[0], "no model")]
    [InlineData(new[] { "m.ecnn", "--top" }, "'--top' needs a value")]
    [InlineData(new[] { "m.ecnn", "--top", "0" }, "positive integer, not '0'")]
    [InlineData(new[] { "m.ecnn", "--repeat", "-1" }, "positive integer, not '-1'")]
    [InlineData(new[] { "m.ecnn", "--kernel-path", "3" }, "not '3'")]
    [InlineData(new[] { "m.ecnn", "--kernel-path", "Neon" }, "Reference, Vector128, Avx2, AdvSimd, AdvSimdDp")]
    [InlineData(new[] { "m.ecnn", "--fast" }, "unknown option '--fast'")]
    public void BadArgumentsAreNamed(string[] args, string expected)
    {
        Assert.Contains(expected, Assert.Throws<DeviceUsageException>(() => DeviceOptions.Parse(args)).Message);
    }
}
