using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The weights of one Conv2D (W[Cout,KH,KW,Cin/group]) or FullyConnected (W[Cout,K], read as one tap and one
/// group) in double precision while cross-layer equalization rescales them, so the many small scalings of the
/// sweeps round to float32 only once, when <see cref="WriteBack"/> stores the result.
/// </summary>
internal sealed class EqualizationLayer
{
    private readonly double[] _weights;
    private readonly double[]? _bias;
    private readonly int _taps;
    private readonly int _inPerGroup;
    private readonly int _outPerGroup;
    private readonly int[] _weightShape;

    private EqualizationLayer(Node node, double[] weights, int[] weightShape, double[]? bias, int taps, int inPerGroup, int group)
    {
        Node = node;
        _weights = weights;
        _weightShape = weightShape;
        _bias = bias;
        _taps = taps;
        _inPerGroup = inPerGroup;
        OutputChannels = weightShape[0];
        InputChannels = inPerGroup * group;
        _outPerGroup = OutputChannels / group;
    }

    public Node Node { get; }
    public int OutputChannels { get; }
    public int InputChannels { get; }

    /// <summary>The layer view of a Conv2D or FullyConnected with constant float weights (and bias, if any) of
    /// consistent shapes; null for anything else.</summary>
    public static EqualizationLayer? TryCreate(Node node)
    {
        bool conv = node.Is(OpCode.Conv2D);
        if (!conv && !node.Is(OpCode.FullyConnected)) return null;
        if (node.InputOrNull(1)?.Constant is not { Type: ElementType.Float32, Floats: { } w } weights) return null;
        if (weights.Rank != (conv ? 4 : 2) || weights.Shape[0] <= 0) return null;
        int group = conv ? node.Int(ParamKey.Group, 1) : 1;
        int cout = weights.Shape[0];
        if (group <= 0 || cout % group != 0) return null;
        int taps = conv ? weights.Shape[1] * weights.Shape[2] : 1;
        int inPerGroup = weights.Shape[^1];
        double[]? bias = null;
        if (node.InputOrNull(2) is { } b)
        {
            if (b.Constant is not { Type: ElementType.Float32, Floats: { } bf } || bf.Length != cout) return null;
            bias = Array.ConvertAll(bf, v => (double)v);
        }
        return new EqualizationLayer(node, Array.ConvertAll(w, v => (double)v), weights.Shape, bias, taps, inPerGroup, group);
    }

    /// <summary>max |w| over the weights that produce output channel <paramref name="channel"/>.</summary>
    public double OutputRange(int channel)
    {
        int row = _taps * _inPerGroup;
        double max = 0;
        for (int k = channel * row; k < (channel + 1) * row; k++) max = Math.Max(max, Math.Abs(_weights[k]));
        return max;
    }

    /// <summary>max |w| over the weights that read input channel <paramref name="channel"/> (for a grouped or
    /// depthwise layer: only the output channels of its group).</summary>
    public double InputRange(int channel)
    {
        double max = 0;
        var (first, end, j) = InputSpan(channel);
        for (int k = first + j; k < end; k += _inPerGroup) max = Math.Max(max, Math.Abs(_weights[k]));
        return max;
    }

    /// <summary>Multiplies output channel <paramref name="channel"/> (its weights and bias) by <paramref name="factor"/>.</summary>
    public void ScaleOutput(int channel, double factor)
    {
        int row = _taps * _inPerGroup;
        for (int k = channel * row; k < (channel + 1) * row; k++) _weights[k] *= factor;
        if (_bias is not null) _bias[channel] *= factor;
    }

    /// <summary>Multiplies every weight that reads input channel <paramref name="channel"/> by <paramref name="factor"/>.</summary>
    public void ScaleInput(int channel, double factor)
    {
        var (first, end, j) = InputSpan(channel);
        for (int k = first + j; k < end; k += _inPerGroup) _weights[k] *= factor;
    }

    /// <summary>Stores the rescaled weights and bias as new float32 constants of the node.</summary>
    public void WriteBack(Graph graph)
    {
        var w = Array.ConvertAll(_weights, v => (float)v);
        Node.Inputs[1] = graph.NewConstant($"{Node.Name}_equalized_w", TensorData.FromFloats(_weightShape, w));
        if (_bias is null) return;
        var b = Array.ConvertAll(_bias, v => (float)v);
        Node.Inputs[2] = graph.NewConstant($"{Node.Name}_equalized_bias", TensorData.FromFloats([b.Length], b));
    }

    /// <summary>The weights of the group that reads <paramref name="channel"/> are one contiguous block (its output
    /// channels are consecutive rows); inside it the channel's weights are every <c>_inPerGroup</c>-th, from <c>j</c>.</summary>
    private (int First, int End, int J) InputSpan(int channel)
    {
        int group = channel / _inPerGroup;
        int rows = _outPerGroup * _taps * _inPerGroup;
        return (group * rows, (group + 1) * rows, channel % _inPerGroup);
    }
}
