using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Datasets;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Hardware.Tests.Backends;

/// <summary>Models and images the backend tests share: the default Fashion-MNIST model (ONNX and the golden int8
/// .ecnn), its test set, and tiny ONNX models built in code.</summary>
internal static class BackendTestMaterial
{
    public static string Root { get; } = FindRoot();

    public static string FashionOnnx => Path.Combine(Root, "models", "fashion-mnist", "fashion-mnist-dwsep.onnx");

    /// <summary>The default model quantized to int8 (tests/data/golden/README.md), float input in [0, 1].</summary>
    public static string FashionInt8Ecnn => Path.Combine(Root, "tests", "data", "golden", "fashion-mnist-int8", "model.ecnn");

    public static string SamplesDirectory => Path.Combine(Root, "models", "fashion-mnist", "samples");

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images as [0, 1] floats (28×28), and their
    /// classes. The Debian package dataset-fashion-mnist (scripts/fetch-test-data.sh installs it) or
    /// EDGECNN_FASHION_MNIST; missing data fails on CI and skips, loudly, elsewhere.</summary>
    public static (float[][] Images, int[] Classes) FashionTestImages(int count)
    {
        string directory = Environment.GetEnvironmentVariable("EDGECNN_FASHION_MNIST") is { Length: > 0 } configured
            ? configured : "/usr/share/datasets/fashion-mnist";
        string images = Path.Combine(directory, "t10k-images-idx3-ubyte.gz");
        string labels = Path.Combine(directory, "t10k-labels-idx1-ubyte.gz");
        if (!File.Exists(images) || !File.Exists(labels))
            Missing($"Fashion-MNIST test set not found in {directory}; install the Debian package dataset-fashion-mnist (scripts/fetch-test-data.sh does) or set EDGECNN_FASHION_MNIST");
        var imageFile = IdxFile.Read(images);
        var labelFile = IdxFile.Read(labels);
        int pixels = imageFile.Dims[1] * imageFile.Dims[2];
        var result = new float[count][];
        for (int n = 0; n < count; n++)
        {
            var source = imageFile.Data.Slice(n * pixels, pixels);
            result[n] = new float[pixels];
            for (int i = 0; i < pixels; i++) result[n][i] = source[i] / 255f;
        }
        return (result, labelFile.Data[..count].ToArray().Select(b => (int)b).ToArray());
    }

    /// <summary>y = Sin(x) on [1,1,4,4]: the importer knows Sin's shape but the runtime has no Sin kernel, so the native
    /// runtime cannot run it while ONNX Runtime can.</summary>
    public static string WriteSinModel(string directory, int[]? inputShape = null)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", inputShape ?? [1, 1, 4, 4]);
        b.AddNode("Sin", ["x"], ["y"], name: "wave");
        b.AddOutput("y");
        string path = Path.Combine(directory, "sin.onnx");
        b.Save(path);
        return path;
    }

    /// <summary>y = Relu(x) on [1,1,4,4]: both backends run it.</summary>
    public static string WriteReluModel(string directory)
    {
        var b = new OnnxModelBuilder(opset: 13);
        b.AddInput("x", [1, 1, 4, 4]);
        b.AddNode("Relu", ["x"], ["y"]);
        b.AddOutput("y");
        string path = Path.Combine(directory, "relu.onnx");
        b.Save(path);
        return path;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>How far the best score is ahead of the second: a near tie may flip between two correct
    /// implementations that only round differently.</summary>
    public static float Margin(ReadOnlySpan<float> values)
    {
        int best = ArgMax(values);
        float second = float.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
            if (i != best && values[i] > second) second = values[i];
        return values[best] - second;
    }

    /// <summary>The adapter the CLI supplies, written here against the compiler directly: the selector's tests check
    /// its decisions, not the CLI's wiring.</summary>
    public sealed class CompilerProbe : Hardware.Backends.INativeModelCompiler
    {
        public int Calls { get; private set; }

        public Hardware.Backends.NativeModelProbe Compile(string onnxPath)
        {
            Calls++;
            try
            {
                return Hardware.Backends.NativeModelProbe.Compiled(ModelCompiler.Compile(onnxPath));
            }
            catch (UnsupportedOperatorException ex)
            {
                return Hardware.Backends.NativeModelProbe.Unsupported([ex.OpType], ex.Message);
            }
        }
    }

    /// <summary>PaddleOCR's text-direction classifier: env EDGECNN_OCR_MODELS (scripts/test.sh sets it), else the fetch
    /// script's cache .cache/test-data/ocr-models/package/assets.</summary>
    public static string OcrClassifier()
    {
        const string name = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGECNN_OCR_MODELS") is { Length: > 0 } configured) folders.Add(configured);
        folders.Add(Path.Combine(Root, ".cache", "test-data", "ocr-models", "package", "assets"));
        foreach (var folder in folders)
            if (File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        Missing($"PaddleOCR model {name} not found in {string.Join(", ", folders)}; run scripts/fetch-test-data.sh or set EDGECNN_OCR_MODELS");
        return "";
    }

    /// <summary>shared/data/text-orientation-dev (folders 0 and 180): env EDGECNN_SHARED_DATA, else a shared/data folder
    /// beside the repository or above it.</summary>
    public static string TextOrientationSet()
    {
        const string name = "text-orientation-dev";
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("EDGECNN_SHARED_DATA") is { Length: > 0 } configured)
        {
            candidates.Add(Path.Combine(configured, name));
            candidates.Add(Path.Combine(configured, "data", name));
        }
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "shared", "data", name));
        foreach (var candidate in candidates)
            if (Directory.Exists(candidate)) return candidate;
        Missing($"shared data set '{name}' not found (looked in {string.Join(", ", candidates)}); set EDGECNN_SHARED_DATA");
        return "";
    }

    private static void Missing(string message)
    {
        if (Environment.GetEnvironmentVariable("CI") is { } ci && (ci == "1" || ci.Equals("true", StringComparison.OrdinalIgnoreCase)))
            Assert.Fail(message);
        Assert.Skip(message);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EdgeCnn.sln above {AppContext.BaseDirectory}");
    }
}
