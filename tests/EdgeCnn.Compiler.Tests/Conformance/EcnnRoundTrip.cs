using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>Writes a compiled model as an .ecnn image and reads it back, as a deployed model is loaded.</summary>
internal static class EcnnRoundTrip
{
    public static CompiledModel Through(CompiledModel model)
    {
        using var stream = new MemoryStream();
        ModelWriter.Write(model, stream);
        return ModelReader.Read(stream.ToArray(), $"{model.Tensors.Length}-tensor model written to memory");
    }
}
