// Trains the Fashion-MNIST default model and exports it to models/fashion-mnist (see models/README.md):
//   dotnet run --project tools/EdgeCnn.Trainer -c Release -- --out models/fashion-mnist
// Options: --data DIR (gzipped IDX files; default the Debian package's folder), --out DIR, --epochs N,
// --batch-size N, --lr X, --seed N, --threads N, --train-limit N (first N training images, for timing runs),
// --verify MODEL.onnx (skip training; only run the checks on an exported model).
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EdgeCnn.Models;
using EdgeCnn.Trainer;
using static TorchSharp.torch;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string data = FashionMnist.DebianDirectory;
string output = "models/fashion-mnist";
string? verify = null;
var settings = new TrainingSettings();
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--data": data = Value(); break;
            case "--out": output = Value(); break;
            case "--verify": verify = Value(); break;
            case "--epochs": settings = settings with { Epochs = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--batch-size": settings = settings with { BatchSize = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--lr": settings = settings with { PeakLearningRate = double.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--seed": settings = settings with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--threads": settings = settings with { Threads = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--train-limit": settings = settings with { TrainLimit = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }
    if (settings.Epochs < 1 || settings.BatchSize < 1 || settings.Threads < 1 || settings.TrainLimit < 0)
        throw new ArgumentException("--epochs, --batch-size and --threads must be at least 1, --train-limit at least 0");
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"EdgeCnn.Trainer: {ex.Message}");
    return 2;
}

var total = Stopwatch.StartNew();
var test = FashionMnist.Test(data);
if (verify is not null)
{
    Verify(verify, test, torchLogits: null, settings.Threads);
    return 0;
}

NativeTuning.Apply();
if (LibTorchSharpCompat.Prepare() is { } note) Console.WriteLine($"libtorch {note}");
set_num_threads(settings.Threads);
set_num_interop_threads(1);
random.manual_seed(unchecked((long)settings.Seed));
var train = FashionMnist.Train(data);
Console.WriteLine($"data     {data}: {train.Count} training, {test.Count} test images");
Console.WriteLine($"settings {settings.Describe()}");

using var model = new DwSepNet();
long parameters = model.parameters().Sum(p => p.numel());
Console.WriteLine($"model    {model.Layers.Count} Conv-BN-ReLU6 units, {parameters} trainable parameters");
var trainClock = Stopwatch.StartNew();
Training.Train(model, train, test, settings, Console.Out);
Console.WriteLine($"training {trainClock.Elapsed.TotalMinutes:F1} min wall");

var (logits, accuracy) = Training.Evaluate(model, test);
Console.WriteLine($"torch    test top-1 {accuracy:P2} ({Correct(accuracy, test.Count)}/{test.Count})");

Directory.CreateDirectory(output);
string onnxPath = Path.Combine(output, FashionMnistModelFiles.OnnxFileName);
File.WriteAllBytes(onnxPath, OnnxExport.Build(model));
ModelFiles.WriteLabels(output);
Verify(onnxPath, test, logits, settings.Threads);
foreach (var (path, index, c) in ModelFiles.WriteSamples(output, test))
    Console.WriteLine($"sample   {path}: test image {index}, class {c} ({FashionMnist.Labels[c]})");
Console.WriteLine($"total    {total.Elapsed.TotalMinutes:F1} min wall");
return 0;

static void Verify(string onnxPath, FashionMnist.Split test, float[]? torchLogits, int threads)
{
    var edge = ExportVerification.RunEdgeCnn(onnxPath, test);
    var ort = ExportVerification.RunOnnxRuntime(onnxPath, test, threads);
    double edgeAccuracy = Training.Top1(edge, test.Classes), ortAccuracy = Training.Top1(ort, test.Classes);
    Console.WriteLine($"onnx     {onnxPath}: {new FileInfo(onnxPath).Length} bytes, SHA-256 {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(onnxPath)))}");
    Console.WriteLine($"edgecnn  test top-1 {edgeAccuracy:P2} ({Correct(edgeAccuracy, test.Count)}/{test.Count})");
    Console.WriteLine($"ort      test top-1 {ortAccuracy:P2} ({Correct(ortAccuracy, test.Count)}/{test.Count})");
    Console.WriteLine($"agree    EdgeCnn vs ORT: max |logit diff| {ExportVerification.MaxAbsDifference(edge, ort):G3}, {ExportVerification.Disagreements(edge, ort)} top-1 disagreements");
    if (torchLogits is not null)
        Console.WriteLine($"agree    EdgeCnn vs torch: max |logit diff| {ExportVerification.MaxAbsDifference(edge, torchLogits):G3}, {ExportVerification.Disagreements(edge, torchLogits)} top-1 disagreements");
    for (int c = 0; c < FashionMnist.Labels.Length; c++)
    {
        int index = Array.IndexOf(test.Classes, (byte)c);
        int predicted = Training.ArgMax(edge.AsSpan(index * Architecture.Classes, Architecture.Classes));
        Console.WriteLine($"predict  test image {index} ({FashionMnist.Labels[c]}): {FashionMnist.Labels[predicted]}");
    }
}

static int Correct(double accuracy, int count) => (int)Math.Round(accuracy * count);
