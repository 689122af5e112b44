using EdgeCnn.Compiler;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.OnnxRuntime;
using EdgeCnn.Runtime.Preprocessing;
using StbImageSharp;

namespace EdgeCnn.Hardware.Tests.Backends;

/// <summary>
/// Both backends on PaddleOCR's text-direction classifier over the 500 text lines of shared/data/text-orientation-dev
/// (0 = upright, 180 = upside down), fed the same tensors (PaddleOCR's cls preprocessing: keep-aspect resize to height
/// 48, (x/255 − 0.5)/0.5, zero padding to width 192, BGR). ONNX Runtime's smallest top-1 margin on this set is about
/// 0.02 (tests/EdgeCnn.Cli.Tests EvalTextOrientationTests), far above float32 error, so no prediction may differ.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class OcrClassifierAgreementTests
{
    [Fact]
    public void Onnx_runtime_and_native_backends_agree_on_every_text_line()
    {
        string model = BackendTestMaterial.OcrClassifier();
        string set = BackendTestMaterial.TextOrientationSet();
        int[] shape = [1, 3, 48, 192];
        var preprocessing = new ImagePreprocessing { Height = 48, Width = 192, Fit = ImageFit.PadRight, Mean = [0.5f], Std = [0.5f], Bgr = true };

        using var ort = new OrtBackend(model, new OrtBackendOptions { Providers = ["CUDA", "CPU"], InputShape = shape });
        using var native = new NativeBackend(ModelCompiler.Compile(model, new CompileOptions
        {
            Import = new ImportOptions { InputShapes = new Dictionary<string, int[]> { [ort.Input.Name] = shape } },
        }));
        Assert.Equal(192 * 48 * 3, native.InputFloat().Length);
        int images = 0, agree = 0, ortCorrect = 0, nativeCorrect = 0;
        foreach (var (label, folder) in new[] { (0, "0"), (1, "180") })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(set, folder), "*.png").Order(StringComparer.Ordinal))
            {
                var decoded = ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.RedGreenBlue);
                var image = new PixelImage(decoded.Height, decoded.Width, 3, decoded.Data);
                ImagePreprocessor.Run(image, preprocessing, ort.InputFloat());
                ort.InputFloat().CopyTo(native.InputFloat());
                ort.Run();
                native.Run();
                int a = BackendTestMaterial.ArgMax(ort.Output()), b = BackendTestMaterial.ArgMax(native.Output());
                images++;
                if (a == b) agree++;
                if (a == label) ortCorrect++;
                if (b == label) nativeCorrect++;
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"text orientation: {images} images, agree {agree}; correct: ONNX Runtime ({ort.Provider}) {ortCorrect}, native {nativeCorrect}");
        Assert.Equal(500, images);
        Assert.Equal(images, agree);
        // 486 of 500 with this (OpenCV-style, not antialiased) preprocessing, as edgecnn eval measures it.
        Assert.True(nativeCorrect >= 480, $"native top-1 {nativeCorrect}/{images}");
    }
}
