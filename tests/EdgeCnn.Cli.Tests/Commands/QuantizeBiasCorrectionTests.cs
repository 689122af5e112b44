using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary><c>edgecnn quantize --bias-correction</c> on the embedded Fashion-MNIST model and its ten sample images.</summary>
public class QuantizeBiasCorrectionTests
{
    private static string Samples => DefaultModelAgreement.Samples;

    private static long[] Int32Constants(CompiledModel model) =>
        Enumerable.Range(0, model.Tensors.Length)
            .Where(i => model.Tensors[i].Type == DataType.Int32 && model.Tensors[i].Kind == TensorKind.Constant)
            .SelectMany(i => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(model.ConstantBytes(i).Span).ToArray())
            .Select(v => (long)v).ToArray();

    [Fact]
    public void Corrects_the_biases_reports_it_and_still_agrees_with_float()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("quantize", "--calibration", Samples, "-o", dir.File("plain.ecnn")).AssertSucceeded();
        var run = CliRun.Invoke("quantize", "--calibration", Samples, "--bias-correction", "--json", "-o", dir.File("corrected.ecnn"));
        run.AssertSucceeded();
        var doc = run.Json();
        var corrected = doc["biasCorrection"]!;
        int layers = corrected["layers"]!.GetValue<int>();
        Assert.True(layers >= 1, $"no layer corrected: {corrected}");
        Assert.InRange(corrected["rounds"]!.GetValue<int>(), 1, layers);
        Assert.Equal(10, corrected["samples"]!.GetValue<int>());
        Assert.True(corrected["maxAbsShift"]!.GetValue<double>() > 0, $"every shift is zero: {corrected}");

        var plain = ModelReader.Load(dir.File("plain.ecnn"));
        var model = ModelReader.Load(dir.File("corrected.ecnn"));
        Assert.NotEqual(Int32Constants(plain), Int32Constants(model));
        DefaultModelAgreement.AssertSameTop1AsFloat(model);

        var plainDoc = CliRun.Invoke("quantize", "--calibration", Samples, "--json", "-o", dir.File("again.ecnn")).Json();
        Assert.Null(plainDoc["biasCorrection"]);
    }

    [Fact]
    public void Needs_calibration_files_and_is_not_combined_with_analyze()
    {
        using var dir = new TempDirectory();
        CliRun.Invoke("calibrate", "--calibration", Samples, "-o", dir.File("ranges.tsv")).AssertSucceeded();
        CliRun.Invoke("quantize", "--ranges", dir.File("ranges.tsv"), "--bias-correction", "-o", dir.File("a.ecnn")).AssertFailed(2, "--bias-correction");
        CliRun.Invoke("quantize", "--calibration", Samples, "--bias-correction", "--analyze").AssertFailed(2, "--bias-correction");
    }
}
