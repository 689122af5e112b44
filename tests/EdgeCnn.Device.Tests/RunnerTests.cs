using System.Text.Json;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Device.Tests;

public class RunnerTests
{
    internal static string GoldenCase(string name)
    {
        // The tests run from tests/EdgeCnn.Device.Tests/bin/...; the golden models live in tests/data/golden.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data", "golden", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/data/golden/{name} not found above {AppContext.BaseDirectory}");
    }

    private static List<JsonElement> Lines(MemoryStream stream)
    {
        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.EndsWith("\n", text);
        return text.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    internal static float[] Floats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [Theory]
    [InlineData("fashion-mnist-int8")]
    [InlineData("lenet5-int8")]
    [InlineData("se-resnet20-int8")]
    public void PrintsTheGoldenOutputsOfEveryKernelPath(string name)
    {
        string dir = GoldenCase(name);
        float[] expected = Floats(Path.Combine(dir, "output.bin"));
        foreach (KernelPath path in CpuFeatures.Current.SupportedPaths)
        {
            var stream = new MemoryStream();
            var options = DeviceOptions.Parse([Path.Combine(dir, "model.ecnn"), Path.Combine(dir, "input.bin"), "--outputs", "--kernel-path", path.ToString(), "--top", "3"]);
            Assert.Equal(0, Runner.Run(options, stream));
            var lines = Lines(stream);
            Assert.Equal(2, lines.Count);
            Assert.Equal(path.ToString(), lines[0].GetProperty("kernelPath").GetString());
            float[] printed = lines[1].GetProperty("outputs").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            // int8 models give the same bytes on every path, and the JSON numbers round-trip float32 exactly.
            Assert.Equal(expected, printed);
            int best = Array.IndexOf(expected, expected.Max());
            Assert.Equal(best, lines[1].GetProperty("top1").GetInt32());
            Assert.Equal(3, lines[1].GetProperty("top").GetArrayLength());
        }
    }

    [Fact]
    public void LabelsNameTheClasses()
    {
        string dir = GoldenCase("fashion-mnist-int8");
        string labels = Path.Combine(Path.GetTempPath(), $"edgecnn-device-labels-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(labels, Enumerable.Range(0, 10).Select(i => $"class{i}"));
        try
        {
            var stream = new MemoryStream();
            Runner.Run(DeviceOptions.Parse([Path.Combine(dir, "model.ecnn"), Path.Combine(dir, "input.bin"), "--labels", labels]), stream);
            var result = Lines(stream)[1];
            Assert.Equal($"class{result.GetProperty("top1").GetInt32()}", result.GetProperty("label").GetString());
            foreach (var entry in result.GetProperty("top").EnumerateArray())
                Assert.Equal($"class{entry.GetProperty("class").GetInt32()}", entry.GetProperty("label").GetString());
        }
        finally
        {
            File.Delete(labels);
        }
    }

    [Fact]
    public void WithoutInputsOnlyTheModelLine()
    {
        string dir = GoldenCase("lenet5-int8");
        var stream = new MemoryStream();
        Runner.Run(DeviceOptions.Parse([Path.Combine(dir, "model.ecnn"), "--mapped"]), stream);
        var line = Assert.Single(Lines(stream));
        Assert.Equal("input Float32 [1,1,32,32]", line.GetProperty("input").GetString());
        Assert.True(line.GetProperty("arenaBytes").GetInt64() > 0);
    }

    [Fact]
    public void MissingModelAndWrongInputAreUsageErrors()
    {
        string dir = GoldenCase("lenet5-int8");
        var missing = Assert.Throws<DeviceUsageException>(() => Runner.Run(DeviceOptions.Parse(["nowhere.ecnn"]), new MemoryStream()));
        Assert.Contains("nowhere.ecnn", missing.Message);
        // The Fashion-MNIST input (784 floats) does not fit LeNet-5's 32x32 input.
        string wrong = Path.Combine(GoldenCase("fashion-mnist-int8"), "input.bin");
        var e = Assert.Throws<DeviceUsageException>(() => Runner.Run(DeviceOptions.Parse([Path.Combine(dir, "model.ecnn"), wrong]), new MemoryStream()));
        Assert.Contains("takes 1024 float32 values", e.Message);
    }
}
