using System.Globalization;
using EdgeCnn.Compiler.Tests.Conformance;
using EdgeCnn.Runtime;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>
/// PaddleOCR's classifier, detector and recognizer on real text images: EdgeCnn (straight from ONNX and
/// through an .ecnn write/read) against ONNX Runtime on CPU. Agreement: see <see cref="OutputAgreement"/>
/// with tolerance 1e-3 — max|a−b| ≤ 1e-3·max(1, max|b|) per output tensor.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class PaddleOcrModelTests
{
    private const double Tolerance = 1e-3;

    [Fact]
    public void Classifier_matches_onnx_runtime_on_every_labeled_text_image()
    {
        var path = OcrModels.Require(OcrModels.Classifier);
        var images = TextImages.All();
        using var ort = OrtReference.FromFile(path);
        var comparison = new Comparison(path, ort, new Dictionary<string, int[]> { [ort.InputNames[0]] = [1, 3, 48, 192] });

        int agreeingTop1 = 0, correct = 0, ties = 0;
        var problems = new List<string>();
        foreach (var image in images)
        {
            var x = PaddlePreprocess.TextLine(image, 48, 192);
            var (reference, outputs) = comparison.Run(x, [1, 3, 48, 192]);
            problems.AddRange(comparison.Check(image.ToString(), reference, outputs));

            // Output [1,2]: softmax over (0°, 180°). The top-1 must agree unless ORT's own margin is within
            // the tolerance, where either answer is a correct float32 result.
            int want = ArgMax(reference[0]);
            foreach (var (how, values) in outputs)
            {
                int got = ArgMax(values[0]);
                if (got == want) continue;
                if (Math.Abs(reference[0][0] - reference[0][1]) <= 2 * Tolerance) { ties++; continue; }
                problems.Add($"{image} ({how}): top-1 {got}, ONNX Runtime {want} (p = {string.Join(", ", reference[0])})");
            }
            if (ArgMax(outputs[0].Values[0]) == want) agreeingTop1++;
            if ((want == 0 ? 0 : 180) == image.Label) correct++;
        }
        Log($"classifier: {images.Count} images, top-1 agrees with ORT on {agreeingTop1}, near-ties {ties}, " +
            $"ORT accuracy vs labels {correct}/{images.Count}, max scaled error {comparison.WorstError:g3}");
        Assert.True(problems.Count == 0, Summarize(problems));
    }

    [Theory]
    [InlineData(320)]
    [InlineData(640)]
    public void Detector_matches_onnx_runtime_on_a_page_of_text_lines(int size)
    {
        var path = OcrModels.Require(OcrModels.Detector);
        var lines = TextImages.All().Where(i => i.Label == 0).Take(24).ToList();
        using var ort = OrtReference.FromFile(path);
        int[] shape = [1, 3, size, size];
        var comparison = new Comparison(path, ort, new Dictionary<string, int[]> { [ort.InputNames[0]] = shape });

        var x = PaddlePreprocess.Page(lines, size);
        var (reference, outputs) = comparison.Run(x, shape);
        var problems = comparison.Check($"page {size}×{size}", reference, outputs);

        // The page holds text, so the probability map must light up; an all-zero map would agree trivially.
        Assert.True(reference[0].Max() > 0.5f, $"the detector found no text on the test page (max probability {reference[0].Max()})");
        Log($"detector {size}×{size}: max scaled error {comparison.WorstError:g3}");
        Assert.True(problems.Count == 0, Summarize(problems));
    }

    [Fact]
    public void Recognizer_matches_onnx_runtime_on_text_lines()
    {
        var path = OcrModels.Require(OcrModels.Recognizer);
        var images = TextImages.Committed().Concat(TextImages.All().Where(i => i.Label == 0).Take(4)).ToList();
        using var ort = OrtReference.FromFile(path);
        int[] shape = [1, 3, 48, 320];
        var comparison = new Comparison(path, ort, new Dictionary<string, int[]> { [ort.InputNames[0]] = shape });

        var problems = new List<string>();
        foreach (var image in images)
        {
            var (reference, outputs) = comparison.Run(PaddlePreprocess.TextLine(image, 48, 320), shape);
            problems.AddRange(comparison.Check(image.ToString(), reference, outputs));
        }
        Log($"recognizer: {images.Count} images, max scaled error {comparison.WorstError:g3}");
        Assert.True(problems.Count == 0, Summarize(problems));
    }

    /// <summary>One model compiled both ways, run against ORT image by image.</summary>
    private sealed class Comparison
    {
        private readonly OrtReference _ort;
        private readonly string _inputName;
        private readonly (string How, Session Session)[] _sessions;

        public Comparison(string onnxPath, OrtReference ort, Dictionary<string, int[]> shapes)
        {
            _ort = ort;
            _inputName = ort.InputNames[0];
            var direct = EdgeCnnModels.Compile(onnxPath, shapes);
            var viaFile = EcnnRoundTrip.Through(direct);
            _sessions = [("straight from ONNX", new Session(direct)), ("through .ecnn", new Session(viaFile))];
        }

        public double WorstError { get; private set; }

        /// <summary>ORT's outputs in graph order, and each EdgeCnn variant's outputs in the same order.</summary>
        public (List<float[]> Reference, List<(string How, List<float[]> Values)> Outputs) Run(float[] x, int[] shape)
        {
            var reference = _ort.Run([(_inputName, x, shape)]);
            var outputs = new List<(string, List<float[]>)>();
            foreach (var (how, session) in _sessions)
            {
                var byName = EdgeCnnModels.Run(session, new Dictionary<string, float[]> { [_inputName] = x });
                outputs.Add((how, _ort.OutputNames.Select(n => byName.TryGetValue(n, out var v)
                    ? v
                    : throw new InvalidOperationException($"EdgeCnn has no output '{n}' (has {string.Join(", ", byName.Keys)})")).ToList()));
            }
            return (reference, outputs);
        }

        public List<string> Check(string what, List<float[]> reference, List<(string How, List<float[]> Values)> outputs)
        {
            var problems = new List<string>();
            foreach (var (how, values) in outputs)
            {
                for (int k = 0; k < reference.Count; k++)
                {
                    WorstError = Math.Max(WorstError, OutputAgreement.ScaledError(values[k], reference[k]));
                    var diff = OutputAgreement.Check(values[k], reference[k], Tolerance);
                    if (diff is not null) problems.Add($"{what} ({how}), output '{_ort.OutputNames[k]}': {diff}");
                }
            }
            return problems;
        }
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static string Summarize(List<string> problems) =>
        string.Create(CultureInfo.InvariantCulture, $"{problems.Count} disagreements with ONNX Runtime:\n") + string.Join('\n', problems.Take(15));

    private static void Log(string message) => TestContext.Current.TestOutputHelper?.WriteLine(message);
}
