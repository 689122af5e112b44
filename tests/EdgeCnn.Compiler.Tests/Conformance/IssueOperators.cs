namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// The float32 operator list of the Foundation issue — the definition of which ONNX node tests are in
/// scope. Written out here rather than taken from the importer so that an op the importer forgot shows
/// up as failing conformance cases instead of silently shrinking the scope.
/// </summary>
internal static class IssueOperators
{
    public static IReadOnlySet<string> InScope { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
        "BatchNormalization", "LRN", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Clip", "HardSigmoid",
        "HardSwish", "Softmax", "LogSoftmax", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt",
        "Max", "Min", "Sum", "Mean", "Concat", "Split", "Slice", "Flatten", "Reshape", "Transpose", "Squeeze",
        "Unsqueeze", "Pad", "Resize", "Upsample", "ReduceMean", "Identity", "Dropout", "DepthToSpace",
        "SpaceToDepth", "Cast", "Shape", "Gather",
        // Weights and attribute-carried tensors arrive through Constant nodes (issue: "ONNX import").
        "Constant",
    };

    /// <summary>The ai.onnx opsets the issue asks the importer to read.</summary>
    public const int MinOpset = 9;
    public const int MaxOpset = 21;
}
