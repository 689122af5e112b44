using System.Text.Json.Nodes;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Tests.Support;
using EdgeCnn.Runtime.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using StbImageSharp;

namespace EdgeCnn.Cli.Tests.Commands;

/// <summary>
/// The acceptance test of <c>edgecnn eval</c>: PaddleOCR's text-direction classifier (float32) on the 500 labeled text
/// lines of shared/data/text-orientation-dev (folders 0 and 180; output 0 = upright, 1 = upside down).
/// ONNX Runtime, fed by a preprocessing written here from PaddleOCR's resize_norm_img (and from Pillow's resampling
/// for the antialiased variant), gives the reference count: 486 with OpenCV's INTER_LINEAR as PaddleOCR resizes,
/// 489 (the 97.8 %) with Pillow-style antialiasing. eval must agree with ONNX Runtime image for image on
/// the same tensors; ONNX Runtime's smallest top-1 margin on this set is about 0.02, far above float32 error, so
/// no prediction may flip. Against the independent preprocessing, one image may differ: the two round the
/// resampled pixels differently (float32 or fixed point vs double), which moves a tensor element by at most one
/// 8-bit level per rounding pass.
/// </summary>
[Trait("Requires", "OnnxRuntime")]
public sealed class EvalTextOrientationTests
{
    private const string Classifier = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private const int Height = 48, Width = 192;

    [Theory]
    [InlineData(false, 486)]
    [InlineData(true, 489)]
    public void Eval_reproduces_onnx_runtime_on_the_text_orientation_set(bool antialias, int expected)
    {
        string model = TestMaterial.OcrModel(Classifier);
        string set = TestMaterial.SharedDataSet("text-orientation-dev");
        var ours = new ImagePreprocessing { Height = Height, Width = Width, Fit = ImageFit.PadRight, Mean = [0.5f], Std = [0.5f], Bgr = true, Antialias = antialias };

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var ort = new InferenceSession(model, options);
        int images = 0, referenceCorrect = 0, oursCorrect = 0;
        double worstElement = 0, smallestMargin = double.MaxValue;
        foreach (var (label, folder) in new[] { (0, "0"), (1, "180") })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(set, folder), "*.png").Order(StringComparer.Ordinal))
            {
                images++;
                var reference = antialias ? PillowReference(file) : PaddleReference(file);
                var tensor = ImageTensor.Load(file, ours).Floats!;
                worstElement = Math.Max(worstElement, reference.Zip(tensor, (a, b) => (double)Math.Abs(a - b)).Max());
                var r = Scores(ort, reference);
                var o = Scores(ort, tensor);
                if (ArgMax(r) == label) referenceCorrect++;
                if (ArgMax(o) == label) oursCorrect++;
                smallestMargin = Math.Min(smallestMargin, Math.Abs(o[0] - o[1]));
            }
        }
        var json = CliRun.Invoke("eval", model, "--data", set, "--preset", "paddle-cls", "--antialias", antialias ? "true" : "false",
            "--input-shape", $"x=1,3,{Height},{Width}", "--json").Json();
        int evalCorrect = (int)json["top1"]!["correct"]!;
        Console.WriteLine($"text orientation (antialias {antialias}): {images} images; ONNX Runtime {referenceCorrect} (reference preprocessing), "
            + $"{oursCorrect} (EdgeCnn preprocessing); edgecnn eval {evalCorrect}; largest tensor difference {worstElement:g3}, smallest ORT margin {smallestMargin:g3}");

        Assert.Equal(500, images);
        Assert.Equal(expected, referenceCorrect);
        // One 8-bit level (2/255 after (x/255 − 0.5)/0.5) per rounding pass: one for OpenCV's, two for Pillow's.
        int levels = antialias ? 2 : 1;
        Assert.True(worstElement <= levels * 2 / 255.0 + 1e-6, $"preprocessing differs from the reference by {worstElement}, more than {levels} 8-bit level(s)");
        Assert.Equal(500, (int)json["count"]!);
        Assert.Equal(oursCorrect, evalCorrect);
        Assert.True(Math.Abs(evalCorrect - expected) <= 1, $"eval counts {evalCorrect}, ONNX Runtime on PaddleOCR's preprocessing {expected}");
        Assert.Equal(evalCorrect / 500.0, (double)json["top1"]!["accuracy"]!, 12);

        // Folders 0 and 180 are outputs 0 and 1; the confusion matrix accounts for every image.
        var perClass = json["perClass"]!.AsArray();
        Assert.Equal([(0, "0", 250), (1, "180", 250)], perClass.Select(c => ((int)c!["output"]!, (string)c["label"]!, (int)c["count"]!)));
        var matrix = json["confusion"]!["matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => (int)v!).ToArray()).ToArray();
        Assert.Equal(500, matrix.Sum(r => r.Sum()));
        Assert.Equal(evalCorrect, matrix[0][0] + matrix[1][1]);
        Assert.Null(json["top5"]);
        Assert.True((double)json["latency"]!["medianMs"]! > 0);
        Assert.True((double)json["latency"]!["p90Ms"]! >= (double)json["latency"]!["medianMs"]!);
    }

    private static float[] Scores(InferenceSession ort, float[] x)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(x, [1, 3, Height, Width]);
        using var runOptions = new RunOptions();
        using var outputs = ort.Run(runOptions, [ort.InputNames[0]], [value], ort.OutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static int ArgMax(float[] scores) => scores[1] > scores[0] ? 1 : 0;

    private static (byte[] Rgb, int H, int W, int ResizedWidth) Open(string file)
    {
        var image = ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.RedGreenBlue);
        double ratio = image.Width / (double)image.Height;
        int resizedWidth = Math.Ceiling(Height * ratio) > Width ? Width : (int)Math.Ceiling(Height * ratio);
        return (image.Data, image.Height, image.Width, resizedWidth);
    }

    /// <summary>resize_norm_img: cv2.resize(img, (resized_w, 48)) with INTER_LINEAR on the BGR image, an 8-bit
    /// result; (x/255 − 0.5)/0.5; copied into zeros of width 192.</summary>
    private static float[] PaddleReference(string file)
    {
        var (rgb, h, w, rw) = Open(file);
        var x = new float[3 * Height * Width];
        for (int y = 0; y < Height; y++)
        {
            double sy = Math.Clamp((y + 0.5) * h / Height - 0.5, 0, h - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int col = 0; col < rw; col++)
            {
                double sx = Math.Clamp((col + 0.5) * w / rw - 0.5, 0, w - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, w - 1);
                double fx = sx - x0;
                for (int c = 0; c < 3; c++)
                {
                    int source = 2 - c;
                    double top = (1 - fx) * rgb[(y0 * w + x0) * 3 + source] + fx * rgb[(y0 * w + x1) * 3 + source];
                    double bottom = (1 - fx) * rgb[(y1 * w + x0) * 3 + source] + fx * rgb[(y1 * w + x1) * 3 + source];
                    float pixel = (float)Math.Round((1 - fy) * top + fy * bottom, MidpointRounding.AwayFromZero);
                    x[(c * Height + y) * Width + col] = (pixel / 255f - 0.5f) / 0.5f;
                }
            }
        }
        return x;
    }

    /// <summary>The same with Pillow's BILINEAR resampling: a triangle filter widened by the shrink factor, a
    /// horizontal then a vertical pass, each rounded to 8 bits (in double precision here).</summary>
    private static float[] PillowReference(string file)
    {
        var (rgb, h, w, rw) = Open(file);
        var (columnStart, columnWeights) = Triangle(w, rw);
        var wide = new byte[h * rw * 3];
        for (int y = 0; y < h; y++)
            for (int col = 0; col < rw; col++)
                for (int c = 0; c < 3; c++)
                {
                    double v = 0;
                    for (int k = 0; k < columnWeights[col].Length; k++) v += columnWeights[col][k] * rgb[(y * w + columnStart[col] + k) * 3 + c];
                    wide[(y * rw + col) * 3 + c] = (byte)Math.Clamp(Math.Round(v, MidpointRounding.AwayFromZero), 0, 255);
                }
        var (rowStart, rowWeights) = Triangle(h, Height);
        var x = new float[3 * Height * Width];
        for (int y = 0; y < Height; y++)
            for (int col = 0; col < rw; col++)
                for (int c = 0; c < 3; c++)
                {
                    double v = 0;
                    for (int k = 0; k < rowWeights[y].Length; k++) v += rowWeights[y][k] * wide[((rowStart[y] + k) * rw + col) * 3 + 2 - c];
                    float pixel = (float)Math.Clamp(Math.Round(v, MidpointRounding.AwayFromZero), 0, 255);
                    x[(c * Height + y) * Width + col] = (pixel / 255f - 0.5f) / 0.5f;
                }
        return x;
    }

    private static (int[] Start, double[][] Weights) Triangle(int inSize, int outSize)
    {
        double scale = inSize / (double)outSize, radius = Math.Max(scale, 1);
        var start = new int[outSize];
        var weights = new double[outSize][];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            int first = Math.Max((int)(center - radius + 0.5), 0);
            int end = Math.Min((int)(center + radius + 0.5), inSize);
            var k = Enumerable.Range(first, end - first).Select(i => Math.Max(0, 1 - Math.Abs((i - center + 0.5) / radius))).ToArray();
            double sum = k.Sum();
            start[o] = first;
            weights[o] = k.Select(v => v / sum).ToArray();
        }
        return (start, weights);
    }
}
