using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler;

public sealed class ImportOptions
{
    /// <summary>Binds graph-input shapes (required when the ONNX input has dynamic dims): name → dims.</summary>
    public IReadOnlyDictionary<string, int[]> InputShapes { get; init; } = new Dictionary<string, int[]>();

    /// <summary>Turns graph inputs into constants at compile time (e.g. Gather indices, Reshape shapes,
    /// Clip bounds that a test feeds as inputs): name → value.</summary>
    public IReadOnlyDictionary<string, TensorData> ConstantInputs { get; init; } = new Dictionary<string, TensorData>();
}

public sealed class CompileOptions
{
    public ImportOptions Import { get; init; } = new();

    /// <summary>Run the optional optimization passes (folding, fusion, ...). Passes the runtime needs
    /// (layout, decompositions) always run.</summary>
    public bool Optimize { get; init; } = true;
}
