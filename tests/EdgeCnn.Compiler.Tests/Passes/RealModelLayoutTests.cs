using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>The layout work on the shipped PaddleOCR models (numbers are checked against ONNX Runtime in
/// <see cref="PaddleOcrModelTests"/>): the convolutional parts run in NHWC without transposes in between.</summary>
public sealed class RealModelLayoutTests
{
    private static CompiledModel Compile(string file, string input, int[] shape) =>
        ModelCompiler.Compile(OcrModels.Require(file), new CompileOptions
        {
            Import = new ImportOptions { InputShapes = new Dictionary<string, int[]> { [input] = shape } },
        });

    private static int Count(CompiledModel m, OpCode code) => m.Ops.Count(o => o.Code == code);

    [Fact]
    public void ClassifierHasOneTransposeAtTheInputAndNoStandaloneBatchNorm()
    {
        var probe = ModelCompiler.Import(OcrModels.Require(OcrModels.Classifier), new ImportOptions
        {
            InputShapes = new Dictionary<string, int[]> { ["x"] = [1, 3, 48, 192] },
        });
        var input = probe.Inputs[0].Name;
        var m = Compile(OcrModels.Classifier, input, [1, 3, 48, 192]);
        Assert.True(Count(m, OpCode.Transpose) <= 1, PipelineHarness.Listing(m));
        Assert.Equal(0, Count(m, OpCode.ChannelAffine));
    }

    [Fact]
    public void DetectorKeepsTransposesToTheBoundary()
    {
        var probe = ModelCompiler.Import(OcrModels.Require(OcrModels.Detector), new ImportOptions
        {
            InputShapes = new Dictionary<string, int[]> { ["x"] = [1, 3, 160, 160] },
        });
        var m = Compile(OcrModels.Detector, probe.Inputs[0].Name, [1, 3, 160, 160]);
        Assert.True(Count(m, OpCode.Transpose) <= 2, PipelineHarness.Listing(m));
        Assert.True(Count(m, OpCode.ChannelAffine) == 0, PipelineHarness.Listing(m));
    }
}
