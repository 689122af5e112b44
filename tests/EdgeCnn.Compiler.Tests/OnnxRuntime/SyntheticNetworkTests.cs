using EdgeCnn.Runtime;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>
/// Edge-CNN building blocks built in code and run by ONNX Runtime and by EdgeCnn with the optimization
/// passes on and off. Agreement: max|a−b| ≤ 1e-4·max(1, max|b|) (<see cref="OutputAgreement"/>) — the
/// passes fold and fuse, so they may reorder float32 arithmetic but must not change results beyond that.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class SyntheticNetworkTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in SyntheticNetworks.Names)
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_onnx_runtime(string network, bool optimize)
    {
        var net = SyntheticNetworks.Build(network);
        using var ort = OrtReference.FromBytes(net.Onnx);
        var reference = ort.Run([(net.Input, net.Sample, net.Shape)]);

        var model = EdgeCnnModels.Compile(net.Onnx, new Dictionary<string, int[]> { [net.Input] = net.Shape }, optimize);
        var outputs = EdgeCnnModels.Run(new Session(model), new Dictionary<string, float[]> { [net.Input] = net.Sample });

        for (int k = 0; k < reference.Count; k++)
        {
            var name = ort.OutputNames[k];
            Assert.True(outputs.ContainsKey(name), $"EdgeCnn has no output '{name}'");
            var diff = OutputAgreement.Check(outputs[name], reference[k], Tolerance);
            Assert.True(diff is null, $"{network} (optimize {optimize}), output '{name}': {diff}");
        }
        // The optimized build must really differ (folded BatchNormalization, fused activations and patterns),
        // or optimize=true would only repeat the unoptimized comparison.
        if (optimize)
        {
            var plain = EdgeCnnModels.Compile(net.Onnx, new Dictionary<string, int[]> { [net.Input] = net.Shape }, optimize: false);
            Assert.True(model.Ops.Length < plain.Ops.Length,
                $"{network}: the optimized model has {model.Ops.Length} ops, the unoptimized {plain.Ops.Length}");
        }
        // Guards against a degenerate block (e.g. everything clipped to zero) that would agree trivially.
        Assert.True(reference[0].Distinct().Count() > reference[0].Length / 4, $"{network}: reference output is nearly constant");
    }
}
