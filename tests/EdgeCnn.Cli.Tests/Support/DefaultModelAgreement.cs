using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Models;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Tests.Support;

/// <summary>Checks a quantized build of the default (Fashion-MNIST) model against the fp32 one on its samples.</summary>
internal static class DefaultModelAgreement
{
    public static string Samples => Path.Combine(RepositoryPaths.FashionMnistDirectory, "samples");

    private static readonly ImagePreprocessing Gray28 = new() { Height = 28, Width = 28, Channels = 1 };

    /// <summary>Every sample gets the same top-1 class from <paramref name="int8"/> as from the fp32 model.</summary>
    public static void AssertSameTop1AsFloat(CompiledModel int8)
    {
        var fp32 = ModelLoader.Load(null, new Dictionary<string, int[]>(), optimize: true).Model;
        var floatSession = new Session(fp32);
        var int8Session = new Session(int8);
        foreach (var file in Directory.GetFiles(Samples, "*.png"))
        {
            var x = ImageTensor.Load(file, Gray28).AsFloats();
            var a = new float[10];
            var b = new float[10];
            floatSession.Run(x, a);
            int8Session.Run(x, b);
            Assert.True(Array.IndexOf(a, a.Max()) == Array.IndexOf(b, b.Max()), $"{Path.GetFileName(file)}: fp32 [{string.Join(", ", a)}], int8 [{string.Join(", ", b)}]");
        }
    }
}
