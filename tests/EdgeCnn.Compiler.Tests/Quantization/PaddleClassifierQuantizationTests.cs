using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Tests.Conformance;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Compiler.Writer;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>
/// The acceptance check: PaddleOCR's text-direction classifier (ch_ppocr_mobile_v2.0_cls) calibrated on 100
/// of the 500 images of shared/data/text-orientation-dev (every fifth, so both classes) and evaluated on all 500,
/// fp32 against int8 on the same runtime, with PaddleOCR's preprocessing (keep-aspect resize to 48 rows, BGR,
/// (x/255 − 0.5)/0.5, zero padding to 192 columns) resampled like Pillow, which gives the fp32 97.8 %.
/// The default calibration method (percentile 99.99) is checked. The figures are in docs/quantization.md.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class PaddleClassifierQuantizationTests
{
    private const int CalibrationStride = 5;
    private const double MaximumAccuracyDrop = 0.5; // percentage points

    private static readonly ImagePreprocessing Preprocessing = new()
    {
        Height = 48,
        Width = 192,
        Fit = ImageFit.PadRight,
        Mean = [0.5f],
        Std = [0.5f],
        Bgr = true,
        Antialias = true,
    };

    [Fact]
    public void Int8AccuracyStaysWithinHalfAPointOfFloat()
    {
        var path = OcrModels.Require(OcrModels.Classifier);
        var (inputs, labels) = LoadSet();
        var floatGraph = Import(path);
        var floatModel = QuantizationPreparation.CompileFloat(floatGraph);
        var calibration = inputs.Where((_, i) => i % CalibrationStride == 0).ToList();
        var statistics = Calibrator.Collect(floatModel, InMemoryCalibrationSamples.SingleInput(calibration));
        var floatPredictions = Predict(floatModel, inputs);
        double floatAccuracy = Accuracy(floatPredictions, labels);
        long floatBytes = ModelWriter.ToBytes(floatModel).LongLength;

        var problems = new List<string>();
        // MinMax gave the same figures when measured (docs/quantization.md); the test keeps to the default to stay short.
        foreach (var method in new[] { CalibrationMethod.PercentileOf() })
        {
            var graph = Import(path);
            QuantizationPreparation.CompileFloat(graph);
            var ranges = statistics.Select(method).ToDictionary(r => r.Tensor.Name, r => r.Range);
            var result = Quantizer.Quantize(graph, ranges);
            var int8Model = GraphLowering.Lower(result.Graph);
            var predictions = Predict(int8Model, inputs);
            double accuracy = Accuracy(predictions, labels);
            int agree = predictions.Zip(floatPredictions).Count(p => p.First == p.Second);
            long int8Bytes = ModelWriter.ToBytes(int8Model).LongLength;
            long floatConstants = floatModel.Tensors.Where(t => t.Kind == TensorKind.Constant).Sum(t => t.ByteLength);
            long int8Constants = int8Model.Tensors.Where(t => t.Kind == TensorKind.Constant).Sum(t => t.ByteLength);
            Console.WriteLine($"PaddleOCR cls, {method}: {inputs.Count} images ({calibration.Count} calibrated on); fp32 {floatAccuracy:F1} %, int8 {accuracy:F1} %, " +
                $"top-1 agreement {agree}/{inputs.Count}; {result.Int8NodeCount} int8 nodes, {result.FloatNodeCount} float; " +
                $"file {floatBytes} -> {int8Bytes} bytes ({int8Bytes / (double)floatBytes:F3}x), constants {floatConstants} -> {int8Constants} bytes ({int8Constants / (double)floatConstants:F3}x)");
            if (floatAccuracy - accuracy > MaximumAccuracyDrop)
                problems.Add($"{method}: int8 {accuracy:F1} % vs fp32 {floatAccuracy:F1} %");
            // The weights shrink to a quarter (plus int32 biases and lookup tables); per-channel params and the
            // op/tensor tables are what keep this small model's file above 0.3x (docs/quantization.md).
            if (int8Constants > 0.3 * floatConstants)
                problems.Add($"{method}: int8 constants {int8Constants} bytes vs fp32 {floatConstants}");
        }
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    private static Graph Import(string path) =>
        ModelCompiler.Import(path, new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [1, 3, 48, 192] } });

    /// <summary>Every image of the shared set, folder 0 (label 0) then folder 180 (label 1), in name order.</summary>
    private static (List<float[]> Inputs, List<int> Labels) LoadSet()
    {
        var set = TextImages.SharedSetDirectory();
        if (set is null) OnnxTestData.FailOrSkipMissing($"shared/data/text-orientation-dev not found (set {TextImages.EnvironmentVariable})");
        var inputs = new List<float[]>();
        var labels = new List<int>();
        foreach (var (folder, label) in new[] { ("0", 0), ("180", 1) })
            foreach (var file in Directory.GetFiles(Path.Combine(set!, folder), "*.png").Order(StringComparer.Ordinal))
            {
                var image = TextImages.Load(file, label);
                inputs.Add(ImagePreprocessor.Run(new PixelImage(image.Height, image.Width, 3, image.Rgb), Preprocessing));
                labels.Add(label);
            }
        Assert.Equal(500, inputs.Count);
        return (inputs, labels);
    }

    private static List<int> Predict(CompiledModel model, List<float[]> inputs)
    {
        var session = new Session(model);
        var scores = new float[2];
        var predictions = new List<int>(inputs.Count);
        foreach (var input in inputs)
        {
            session.Run(input, scores);
            predictions.Add(scores[1] > scores[0] ? 1 : 0);
        }
        return predictions;
    }

    private static double Accuracy(List<int> predictions, List<int> labels) =>
        100.0 * predictions.Zip(labels).Count(p => p.First == p.Second) / labels.Count;
}
