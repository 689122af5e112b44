using System.Reflection;

namespace EdgeCnn.Cli.Models;

/// <summary>
/// The model embedded in the CLI (models/default/tiny-cnn.onnx, an untrained stand-in until the model zoo
/// ships a trained one) and its labels. <c>edgecnn run</c> uses it when no model is given.
/// </summary>
public static class DefaultModel
{
    public const string Name = "tiny-cnn.onnx";
    private const string ModelResource = "EdgeCnn.Cli.DefaultModel.tiny-cnn.onnx";
    private const string LabelsResource = "EdgeCnn.Cli.DefaultModel.labels.txt";

    public static byte[] OnnxBytes() => ReadResource(ModelResource);

    public static string[] Labels() =>
        LabelFile.Parse(System.Text.Encoding.UTF8.GetString(ReadResource(LabelsResource)));

    private static byte[] ReadResource(string name)
    {
        using var stream = typeof(DefaultModel).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource '{name}' is missing from {typeof(DefaultModel).Assembly.GetName().Name}; the build embeds it from models/default/");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
