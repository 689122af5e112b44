using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Benchmarks;

/// <summary>
/// One benchmark case: <see cref="Layers"/> identical layers in a row (1×1 convolutions, depthwise 3×3
/// convolutions or fully connected layers), written as ONNX with seeded random weights. Stacking several layers makes
/// the kernel under test dominate the fixed cost every session run pays at its edges (NCHW↔NHWC transposes and,
/// for int8, quantizing the float input and dequantizing the output).
/// </summary>
public sealed record LayerStack(string Name, LayerKind Kind, int Channels, int Height, int Width, int Layers)
{
    public static LayerStack Pointwise { get; } = new("conv1x1 128->128 @28x28 x3", LayerKind.Pointwise, 128, 28, 28, 3);
    public static LayerStack Depthwise { get; } = new("dwconv3x3 s1 128ch @56x56 x4", LayerKind.Depthwise, 128, 56, 56, 4);
    public static LayerStack FullyConnected { get; } = new("fc 1024->1024 x3", LayerKind.FullyConnected, 1024, 1, 1, 3);

    /// <summary>The graph input's shape (ONNX layout).</summary>
    public int[] InputShape => Kind == LayerKind.FullyConnected ? [1, Channels] : [1, Channels, Height, Width];

    public int InputLength => InputShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Multiply-accumulates of one run, the figure to divide a measured time by.</summary>
    public long Macs => Kind switch
    {
        LayerKind.Pointwise => (long)Layers * Height * Width * Channels * Channels,
        LayerKind.Depthwise => (long)Layers * Height * Width * Channels * 9,
        _ => (long)Layers * Channels * Channels,
    };

    public byte[] ToOnnx(int seed = 7)
    {
        var random = new Random(seed);
        var b = new OnnxModelBuilder(opset: 13, graphName: Name);
        b.AddInput("x", InputShape);
        string current = "x";
        for (int layer = 0; layer < Layers; layer++)
        {
            string w = $"w{layer}", bias = $"b{layer}", y = layer == Layers - 1 ? "y" : $"h{layer}";
            // He-style scale keeps activations in a similar range layer after layer, so calibration ranges stay sensible.
            switch (Kind)
            {
                case LayerKind.Pointwise:
                    b.AddInitializer(w, [Channels, Channels, 1, 1], Weights(random, Channels * Channels, Channels));
                    b.AddInitializer(bias, [Channels], Weights(random, Channels, Channels));
                    b.AddNode("Conv", [current, w, bias], [y]);
                    break;
                case LayerKind.Depthwise:
                    b.AddInitializer(w, [Channels, 1, 3, 3], Weights(random, Channels * 9, 9));
                    b.AddInitializer(bias, [Channels], Weights(random, Channels, 9));
                    b.AddNode("Conv", [current, w, bias], [y]).Attr("group", Channels).Attr("pads", [1L, 1, 1, 1]);
                    break;
                default:
                    b.AddInitializer(w, [Channels, Channels], Weights(random, Channels * Channels, Channels));
                    b.AddInitializer(bias, [Channels], Weights(random, Channels, Channels));
                    b.AddNode("Gemm", [current, w, bias], [y]).Attr("transB", 1L);
                    break;
            }
            current = y;
        }
        b.AddOutput("y");
        return b.ToBytes();
    }

    private static float[] Weights(Random random, int count, int fanIn)
    {
        float scale = MathF.Sqrt(3f / fanIn);
        var w = new float[count];
        for (int i = 0; i < count; i++) w[i] = (random.NextSingle() * 2 - 1) * scale;
        return w;
    }

    public override string ToString() => Name;
}

public enum LayerKind { Pointwise, Depthwise, FullyConnected }
