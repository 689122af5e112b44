using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Models.Zoo;

/// <summary>
/// Layer-level ONNX construction for the zoo: each method adds the nodes a PyTorch export of that layer
/// would contain (Conv without bias followed by a separate BatchNormalization, Gemm for linear layers,
/// Reshape-Transpose-Reshape for a channel shuffle, ...), generates its weights from the seeded generator
/// and returns the tracked output. Names are given by the architecture and must be unique; a duplicate is
/// a builder bug and throws.
/// </summary>
public sealed partial class NetBuilder
{
    /// <summary>Opset 14: the first with the HardSwish operator; Split takes its sizes as an input (13+).</summary>
    public const int Opset = 14;
    public const string InputName = "input";

    private readonly OnnxModelBuilder _onnx;
    private readonly SeededRandom _random;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private FeatureMap? _input;

    public NetBuilder(string model, ZooConfig config)
    {
        config.Validate(model);
        Model = model;
        Config = config;
        _onnx = new OnnxModelBuilder(Opset, model);
        _random = new SeededRandom(config.Seed);
    }

    public string Model { get; }
    public ZooConfig Config { get; }

    /// <summary>The graph input [1, channels, R, R], R the configured resolution.</summary>
    public FeatureMap Input(int channels)
    {
        if (_input is not null) throw new InvalidOperationException($"{Model}: the input is already declared");
        var input = new FeatureMap(Claim(InputName), channels, Config.Resolution, Config.Resolution);
        _onnx.AddInput(input.Name, input.Shape);
        _input = input;
        return input;
    }

    public ZooModel Finish(FeatureVector output) => Finish(output.Name, output.Shape);

    public ZooModel Finish(FeatureMap output) => Finish(output.Name, output.Shape);

    private ZooModel Finish(string name, int[] shape)
    {
        var input = _input ?? throw new InvalidOperationException($"{Model}: no input was declared");
        _onnx.AddOutput(name, shape);
        return new ZooModel(Model, Config, _onnx.ToBytes(), input.Name, input.Shape, name, shape);
    }

    /// <summary>Reserves a tensor or node name.</summary>
    private string Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"{Model}: the name '{name}' is used twice");
        return name;
    }

    /// <summary>He-uniform weights: U(±√(6/fanIn)) has variance 2/fanIn, which keeps the second moment of
    /// ReLU activations constant from layer to layer, so deep random networks neither vanish nor explode.</summary>
    private string HeWeight(string name, int[] shape, int fanIn)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count > Array.MaxLength)
            throw new ModelConfigException(Model, $"tensor '{name}' [{string.Join(',', shape)}] is too large");
        double bound = Math.Sqrt(6.0 / fanIn);
        _onnx.AddInitializer(Claim(name), shape, _random.Uniform((int)count, -bound, bound));
        return name;
    }

    private string UniformConstant(string name, int length, double low, double high)
    {
        _onnx.AddInitializer(Claim(name), [length], _random.Uniform(length, low, high));
        return name;
    }

    private string LongConstant(string name, long[] values)
    {
        _onnx.AddInitializer(Claim(name), [values.Length], values);
        return name;
    }

    private string ScalarConstant(string name, float value)
    {
        if (_names.Contains(name)) return name; // shared scalars (ReLU6 bounds, hard-swish constants) are added once
        _onnx.AddInitializer(Claim(name), [], [value]);
        return name;
    }

    private OnnxModelBuilder.NodeBuilder Node(string opType, string[] inputs, string output, string name) =>
        _onnx.AddNode(opType, inputs, [output], Claim(name));

    /// <summary>Output extent of a window op, with the resolution check every layer needs.</summary>
    private int Extent(string layer, int input, int kernel, int stride, int padBegin, int padEnd, int dilation, bool ceil = false)
    {
        int span = dilation * (kernel - 1) + 1;
        int room = input + padBegin + padEnd - span;
        int output = room < 0 ? 0 : (ceil ? (room + stride - 1) / stride : room / stride) + 1;
        // As ONNX and PyTorch do: with ceil_mode, a last window that would start inside the end padding is dropped.
        if (ceil && output > 0 && (output - 1) * stride >= input + padBegin) output--;
        if (output < 1)
            throw new ModelConfigException(Model,
                $"resolution {Config.Resolution} is too small: layer '{layer}' gets a {input}-pixel input for a {span}-pixel window");
        return output;
    }
}
