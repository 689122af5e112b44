using EdgeCnn.Hardware;

namespace EdgeCnn.Hardware.Tests;

/// <summary>The dependency rule for hardware/ (DESIGN.md): the runtime, System.Device.Gpio and StbImageSharp, never the
/// compiler, protobuf or ONNX Runtime, so a device build carries none of them.</summary>
public sealed class HardwareDependencyTests
{
    [Fact]
    public void Hardware_assembly_references_only_runtime_gpio_stb_and_the_bcl()
    {
        string[] allowed = ["EdgeCnn.Runtime", "System.Device.Gpio", "StbImageSharp"];
        var names = typeof(HardwareException).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        var foreign = names.Where(n => !allowed.Contains(n) && !n.StartsWith("System.", StringComparison.Ordinal) && n is not ("System" or "netstandard" or "mscorlib")).ToArray();
        Assert.True(foreign.Length == 0, $"EdgeCnn.Hardware references {string.Join(", ", foreign)}");
        Assert.DoesNotContain(names, n => n.Contains("OnnxRuntime", StringComparison.OrdinalIgnoreCase) || n.Contains("Protobuf", StringComparison.OrdinalIgnoreCase) || n == "EdgeCnn.Compiler");
    }
}
