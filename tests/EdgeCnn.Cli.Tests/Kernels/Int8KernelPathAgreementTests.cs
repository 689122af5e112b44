using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Kernels;

/// <summary>
/// A whole int8 model — the default Fashion-MNIST model quantized by <c>edgecnn quantize</c>, per channel and per
/// tensor — gives the same output bytes on every kernel path this machine supports as on the reference kernels,
/// for each of its sample images. The model holds int8 regular and pointwise convolutions and a fully connected
/// layer (the GEMM kernels) as well as depthwise convolutions, pools and lookups.
/// </summary>
public sealed class Int8KernelPathAgreementTests
{
    private static readonly ImagePreprocessing Gray28 = new() { Height = 28, Width = 28, Channels = 1 };

    [Theory]
    [InlineData("per channel")]
    [InlineData("per tensor")]
    public void Every_supported_path_gives_the_reference_bytes(string weights)
    {
        using var dir = new TempDirectory();
        string target = dir.File("fm-int8.ecnn");
        string[] args = weights == "per tensor"
            ? ["quantize", "--calibration", DefaultModelAgreement.Samples, "--per-tensor", "-o", target]
            : ["quantize", "--calibration", DefaultModelAgreement.Samples, "-o", target];
        CliRun.Invoke(args).AssertSucceeded();
        var model = ModelReader.Load(target);
        Assert.Contains(model.Ops, op => op.Code == OpCode.Conv2D && IsInt8(model, op) && model.Tensors[op.Inputs[1]].Shape[3] > 1);
        Assert.Contains(model.Ops, op => op.Code == OpCode.FullyConnected && IsInt8(model, op));

        var paths = CpuFeatures.Current.SupportedPaths;
        Assert.True(paths.Count > 1, $"only {string.Join(", ", paths)} runs here ({CpuFeatures.Current}); there is nothing to compare");
        var sessions = paths.Select(p => new Session(model, new SessionOptions { KernelPath = p })).ToArray();
        for (int i = 0; i < paths.Count; i++) Assert.Equal(paths[i], sessions[i].KernelPath);

        int outputs = (int)model.OutputInfo(0).ElementCount;
        var files = Directory.GetFiles(DefaultModelAgreement.Samples, "*.png");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var x = ImageTensor.Load(file, Gray28).AsFloats();
            var reference = new float[outputs];
            sessions[0].Run(x, reference);
            for (int i = 1; i < paths.Count; i++)
            {
                var actual = new float[outputs];
                Array.Fill(actual, float.NaN);
                sessions[i].Run(x, actual);
                for (int k = 0; k < outputs; k++)
                    Assert.True(BitConverter.SingleToInt32Bits(reference[k]) == BitConverter.SingleToInt32Bits(actual[k]),
                        $"{weights}, {Path.GetFileName(file)}, {paths[i]}: output {k} is {actual[k]:R}, the reference kernels give {reference[k]:R}");
            }
        }
    }

    private static bool IsInt8(CompiledModel model, OpDesc op) => model.Tensors[op.Inputs[0]].Type == DataType.Int8;
}
