using System.Reflection;

namespace EdgeCnn.Runtime.Tests;

/// <summary>The runtime is deployed to devices on its own: it may reference the BCL and nothing else.</summary>
public sealed class RuntimeDependencyTests
{
    [Fact]
    public void RuntimeAssembly_ReferencesOnlySharedFrameworkAssemblies()
    {
        // The shared framework is the folder System.Private.CoreLib was loaded from.
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = typeof(Session).Assembly.GetReferencedAssemblies();

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            if (reference.Name == "System.Numerics.Tensors") continue; // allowed by the design
            string location = Assembly.Load(reference).Location;
            Assert.True(Path.GetDirectoryName(location) == framework,
                $"the runtime references '{reference.Name}' from {location}, which is not part of the shared framework in {framework}");
        }
    }

    [Theory]
    [InlineData("Google.Protobuf")]
    [InlineData("Microsoft.ML.OnnxRuntime")]
    [InlineData("EdgeCnn.Compiler")]
    [InlineData("EdgeCnn.Cli")]
    [InlineData("EdgeCnn.Hardware")]
    [InlineData("System.Device.Gpio")]
    [InlineData("System.CommandLine")]
    [InlineData("Spectre.Console")]
    public void RuntimeAssembly_DoesNotReference(string forbidden)
    {
        var references = typeof(Session).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(forbidden, references);
    }
}
