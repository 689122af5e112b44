using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Qdq;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.OnnxRuntime;

namespace EdgeCnn.Hardware.Tests.Backends;

/// <summary>
/// An int8 model on both backends: the default model quantized here (min/max ranges over 100 test images), run natively
/// and, exported as QDQ ONNX, on ONNX Runtime, which takes the same float input and quantizes inside. ONNX Runtime's
/// QDQ fusion runs the same integers but rounds a requantization here and there differently, so a near-tie image may
/// flip; the two must agree on nearly every image.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class QdqModelAgreementTests
{
    [Fact]
    public void Onnx_runtime_on_the_qdq_export_agrees_with_the_native_int8_model()
    {
        var (images, classes) = BackendTestMaterial.FashionTestImages(400);
        var graph = ModelCompiler.Import(BackendTestMaterial.FashionOnnx);
        var floatModel = QuantizationPreparation.CompileFloat(graph);
        var statistics = Calibrator.Collect(floatModel, InMemoryCalibrationSamples.SingleInput(images[300..]));
        var ranges = statistics.Select(CalibrationMethod.MinMax).ToDictionary(p => p.Tensor.Name, p => p.Range);
        var quantized = Quantizer.Quantize(graph, ranges).Graph;

        using var scratch = new ScratchDirectory();
        string qdqPath = scratch.File("fashion-int8-qdq.onnx");
        File.WriteAllBytes(qdqPath, QdqExporter.Export(quantized));
        using var ort = new OrtBackend(qdqPath, new OrtBackendOptions { Providers = ["CPU"] });
        using var native = new NativeBackend(GraphLowering.Lower(quantized));
        Assert.False(ort.Input.IsInt8);

        int agree = 0, ortCorrect = 0, nativeCorrect = 0;
        for (int n = 0; n < 300; n++)
        {
            images[n].CopyTo(ort.InputFloat());
            images[n].CopyTo(native.InputFloat());
            ort.Run();
            native.Run();
            int a = BackendTestMaterial.ArgMax(ort.Output()), b = BackendTestMaterial.ArgMax(native.Output());
            if (a == b) agree++;
            if (a == classes[n]) ortCorrect++;
            if (b == classes[n]) nativeCorrect++;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"int8 QDQ on ONNX Runtime vs native int8: agree {agree}/300; correct: ONNX Runtime {ortCorrect}, native {nativeCorrect}");
        Assert.True(agree >= 297, $"top-1 agrees on {agree} of 300 images");
        Assert.True(nativeCorrect >= 270, $"native int8 top-1 {nativeCorrect}/300");
    }
}
