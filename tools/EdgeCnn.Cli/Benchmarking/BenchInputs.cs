using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>The one input every engine of a benchmark is fed: per model input, seeded uniform values in [0, 1)
/// (the range of a pixel scaled by 1/255), in the model's input layout (ONNX's NCHW).</summary>
internal sealed class BenchInputs
{
    public const int Seed = 20260523;

    private BenchInputs(string[] names, int[][] shapes, float[][] data)
    {
        Names = names;
        Shapes = shapes;
        Data = data;
    }

    public string[] Names { get; }
    public int[][] Shapes { get; }
    public float[][] Data { get; }

    public static string Description => $"seeded uniform [0, 1), seed {Seed}";

    public static BenchInputs For(CompiledModel model)
    {
        var random = new Random(Seed);
        var names = new string[model.Inputs.Length];
        var shapes = new int[model.Inputs.Length][];
        var data = new float[model.Inputs.Length][];
        for (int i = 0; i < model.Inputs.Length; i++)
        {
            var info = model.InputInfo(i);
            names[i] = info.Name;
            shapes[i] = info.Shape;
            data[i] = new float[info.ElementCount];
            for (int j = 0; j < data[i].Length; j++) data[i][j] = random.NextSingle();
        }
        return new BenchInputs(names, shapes, data);
    }
}
