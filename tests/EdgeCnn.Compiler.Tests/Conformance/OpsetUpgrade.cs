namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>
/// Some node tests import an opset below 9 only because their op's newest definition is that old
/// (GlobalAveragePool-1, HardSigmoid-6, ...). When every op of such a graph has the same definition at
/// the lowest opset, raising the model's opset import to it changes nothing (this is what
/// onnx.version_converter does for unchanged ops), so the test runs at that opset instead of being dropped.
/// </summary>
internal static class OpsetUpgrade
{
    /// <summary>The version of each op in force at opset 9 (its since_version in the ONNX operator
    /// changelog), for the ops of the list that occur in opset &lt; 9 node tests.</summary>
    private static readonly Dictionary<string, int> VersionAtMinOpset = new(StringComparer.Ordinal)
    {
        ["Conv"] = 1, ["ConvTranspose"] = 1, ["GlobalAveragePool"] = 1, ["GlobalMaxPool"] = 1, ["LRN"] = 1,
        ["HardSigmoid"] = 6, ["Relu"] = 6, ["LeakyRelu"] = 6, ["Sigmoid"] = 6, ["Tanh"] = 6, ["Sqrt"] = 6, ["Clip"] = 6,
        ["Softmax"] = 1, ["LogSoftmax"] = 1, ["Transpose"] = 1, ["Identity"] = 1, ["DepthToSpace"] = 1,
        ["SpaceToDepth"] = 1, ["Shape"] = 1, ["Gather"] = 1, ["Squeeze"] = 1, ["Unsqueeze"] = 1,
    };

    /// <summary>True when every op's definition at the model's <paramref name="opset"/> is the one in force
    /// at opset 9; <paramref name="changed"/> lists the ops for which that is not known to hold.</summary>
    public static bool IsNeutral(IEnumerable<string> ops, int opset, out List<string> changed)
    {
        changed = ops.Where(op => !VersionAtMinOpset.TryGetValue(op, out var since) || since > opset).ToList();
        return changed.Count == 0;
    }
}
