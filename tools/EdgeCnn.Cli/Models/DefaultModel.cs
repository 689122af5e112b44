namespace EdgeCnn.Cli.Models;

/// <summary>
/// The model embedded in the CLI: models/fashion-mnist/fashion-mnist-dwsep.onnx, a small depthwise-separable CNN
/// trained on Fashion-MNIST (input 'input' [1,1,28,28], pixel/255; output 'logits' [1,10]), with its labels and
/// the ten sample images of models/fashion-mnist/samples. Commands use it when no model is given.
/// </summary>
public static class DefaultModel
{
    public const string Name = "fashion-mnist-dwsep.onnx";

    /// <summary>Where the embedded samples come from, for messages.</summary>
    public const string SamplesSource = "models/fashion-mnist/samples";

    private const string Prefix = "EdgeCnn.Cli.DefaultModel.";
    private const string ModelResource = Prefix + Name;
    private const string LabelsResource = Prefix + "labels.txt";
    private const string SamplesPrefix = Prefix + "samples.";

    public static byte[] OnnxBytes() => ReadResource(ModelResource);

    public static string[] Labels() =>
        LabelFile.Parse(System.Text.Encoding.UTF8.GetString(ReadResource(LabelsResource)));

    /// <summary>The sample images (file name → encoded PNG) in ordinal order of their names, which start with the
    /// true class number ("9-ankle-boot.png").</summary>
    public static IReadOnlyList<(string FileName, byte[] Png)> Samples()
    {
        var names = typeof(DefaultModel).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(SamplesPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
            throw new InvalidOperationException($"no sample images are embedded in {typeof(DefaultModel).Assembly.GetName().Name}; the build embeds them from {SamplesSource}");
        return names.Select(n => (n[SamplesPrefix.Length..], ReadResource(n))).ToList();
    }

    private static byte[] ReadResource(string name)
    {
        using var stream = typeof(DefaultModel).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource '{name}' is missing from {typeof(DefaultModel).Assembly.GetName().Name}; the build embeds it from models/fashion-mnist/");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
