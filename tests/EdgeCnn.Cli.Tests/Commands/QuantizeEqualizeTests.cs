using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn quantize --equalize</c> on the embedded Fashion-MNIST model: it is depthwise-separable but uses
/// ReLU6 after every convolution, which equalization must not scale through, so the int8 model comes out bit for bit
/// the plain one and still agrees with the float model.</summary>
public class QuantizeEqualizeTests
{
    private static string Samples => DefaultModelAgreement.Samples;


    private static byte[] Int8Weights(CompiledModel model) =>
        Enumerable.Range(0, model.Tensors.Length)
            .Where(i => model.Tensors[i].Type == DataType.Int8 && model.Tensors[i].Kind == TensorKind.Constant)
            .SelectMany(i => model.ConstantBytes(i).ToArray()).ToArray();

    [Fact]
    public void Relu6_model_is_left_as_it_is_and_agrees_with_float()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("quantize", "--calibration", Samples, "-o", dir.File("plain.ecnn")).AssertSucceeded();
        CliRun.Invoke("quantize", "--calibration", Samples, "--equalize", "-o", dir.File("eq.ecnn")).AssertSucceeded();
        var plain = ModelReader.Load(dir.File("plain.ecnn"));
        var equalized = ModelReader.Load(dir.File("eq.ecnn"));
        Assert.NotEmpty(Int8Weights(plain));
        Assert.Equal(Int8Weights(plain), Int8Weights(equalized));

        DefaultModelAgreement.AssertSameTop1AsFloat(equalized);
    }

    [Fact]
    public void Equalize_cannot_reuse_a_range_table()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", "--calibration", Samples, "-o", dir.File("ranges.tsv")).AssertSucceeded();
        CliRun.Invoke("quantize", "--ranges", dir.File("ranges.tsv"), "--equalize", "-o", dir.File("a.ecnn")).AssertFailed(2, "--equalize");
    }
}
