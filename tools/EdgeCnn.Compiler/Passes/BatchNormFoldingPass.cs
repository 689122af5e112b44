using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Folds a per-channel scale and shift — a ChannelAffine (what BatchNormalization became), or an Add/Sub/Mul
/// of a per-channel constant (a bias written as a separate Add) — into the Conv2D, ConvTranspose2D,
/// FullyConnected or Gemm that produces its input: weights of output channel c are scaled by scale[c], the
/// bias becomes bias·scale + shift. Only when the producer has no fused activation yet, constant weights
/// and bias, and the affine is the only reader of its output.
/// </summary>
public sealed class BatchNormFoldingPass : IGraphPass
{
    public string Name => "batchnorm-folding";

    public bool Run(Graph graph)
    {
        bool changed = false;
        var uses = GraphRewrite.Uses(graph);
        foreach (var affine in graph.Nodes.ToList())
        {
            if (!TryChannelAffine(affine, out var x, out var scale, out var shift)) continue;
            if (x.Producer is not { } producer || !graph.Nodes.Contains(producer) || producer.Outputs.Count != 1) continue;
            if (graph.IsGraphOutput(x) || GraphRewrite.Readers(uses, x).Count != 1) continue;
            if (!TryFold(graph, producer, scale, shift)) continue;
            var y = affine.Outputs[0];
            graph.RemoveNode(affine);
            producer.Outputs[0] = y;
            y.Producer = producer;
            changed = true;
        }
        return changed;
    }

    /// <summary>A per-channel (last axis) y = x·scale + shift: a ChannelAffine, or an Add/Sub/Mul of a constant
    /// that only varies along the last axis (exporters write conv bias as such an Add).</summary>
    private static bool TryChannelAffine(Node node, out Value x, out float[] scale, out float[] shift)
    {
        x = null!;
        scale = shift = [];
        if (node.Activation() != ActivationKind.None) return false;
        if (node.Is(OpCode.ChannelAffine))
        {
            if (node.Input(1).Constant is not { } s || node.Input(2).Constant is not { } t) return false;
            x = node.Input(0);
            scale = s.AsFloats();
            shift = t.AsFloats();
            return true;
        }
        if (!node.Is(OpCode.Binary)) return false;
        var kind = (BinaryKind)node.Int(ParamKey.Kind, 0);
        if (kind is not (BinaryKind.Add or BinaryKind.Sub or BinaryKind.Mul)) return false;
        int dataSide = node.Input(0).IsConstant ? 1 : 0;
        if (kind == BinaryKind.Sub && dataSide != 0) return false;
        x = node.Input(dataSide);
        var shape = x.RequireShape();
        if (x.IsConstant || shape.Length == 0 || !shape.AsSpan().SequenceEqual(node.Outputs[0].RequireShape())) return false;
        if (PerChannel(node.Input(1 - dataSide).Constant, shape[^1]) is not { } values) return false;
        scale = kind == BinaryKind.Mul ? values : Enumerable.Repeat(1f, values.Length).ToArray();
        shift = kind switch
        {
            BinaryKind.Mul => new float[values.Length],
            BinaryKind.Sub => values.Select(v => -v).ToArray(),
            _ => values,
        };
        return true;
    }

    /// <summary>The constant as one value per channel when it broadcasts along the last axis only.</summary>
    private static float[]? PerChannel(TensorData? c, int channels)
    {
        if (c is null) return null;
        for (int i = 0; i < c.Rank - 1; i++)
            if (c.Shape[i] != 1) return null;
        var values = c.AsFloats();
        if (values.Length == channels) return values;
        return values.Length == 1 ? Enumerable.Repeat(values[0], channels).ToArray() : null;
    }

    private static bool TryFold(Graph graph, Node producer, float[] scale, float[] shift)
    {
        if (producer.Activation() != ActivationKind.None || !producer.TryGetCode(out var code)) return false;
        return code switch
        {
            OpCode.Conv2D or OpCode.FullyConnected => FoldRows(graph, producer, scale, shift),
            OpCode.ConvTranspose2D => FoldConvTranspose(graph, producer, scale, shift),
            OpCode.Gemm => FoldGemm(graph, producer, scale, shift),
            _ => false,
        };
    }

    /// <summary>Weights with the output channel first: W[Cout, ...].</summary>
    private static bool FoldRows(Graph graph, Node node, float[] scale, float[] shift)
    {
        if (node.Input(1).Constant is not { Floats: not null } w || w.Shape[0] != scale.Length) return false;
        if (!TryBias(node, 2, scale.Length, out var bias)) return false;
        int cout = scale.Length;
        int inner = (int)(w.Count / cout);
        var newW = (float[])w.Floats.Clone();
        for (int o = 0; o < cout; o++)
            for (int k = 0; k < inner; k++) newW[o * inner + k] *= scale[o];
        Replace(graph, node, 1, TensorData.FromFloats(w.Shape, newW), "folded_w");
        SetBias(graph, node, 2, bias, scale, shift);
        return true;
    }

    /// <summary>W[Cin, KH, KW, Cout/g]: output channel of (input channel i, j) is group(i)·Cout/g + j.</summary>
    private static bool FoldConvTranspose(Graph graph, Node node, float[] scale, float[] shift)
    {
        if (node.Input(1).Constant is not { Floats: not null } w || w.Rank != 4) return false;
        int group = node.Int(ParamKey.Group, 1);
        int cin = w.Shape[0], perGroupOut = w.Shape[3];
        if (perGroupOut * group != scale.Length || cin % group != 0) return false;
        if (!TryBias(node, 2, scale.Length, out var bias)) return false;
        int cinPerGroup = cin / group;
        int spatial = w.Shape[1] * w.Shape[2];
        var newW = (float[])w.Floats.Clone();
        for (int i = 0; i < cin; i++)
        {
            int g = i / cinPerGroup;
            for (int s = 0; s < spatial; s++)
                for (int j = 0; j < perGroupOut; j++)
                    newW[(i * spatial + s) * perGroupOut + j] *= scale[g * perGroupOut + j];
        }
        Replace(graph, node, 1, TensorData.FromFloats(w.Shape, newW), "folded_w");
        SetBias(graph, node, 2, bias, scale, shift);
        return true;
    }

    /// <summary>Y = α·A·op(B) + β·C: scale op(B)'s columns; C becomes β·C·scale + shift with β = 1.</summary>
    private static bool FoldGemm(Graph graph, Node node, float[] scale, float[] shift)
    {
        if (node.Input(1).Constant is not { Floats: not null } b || b.Rank != 2) return false;
        bool transB = node.Int(ParamKey.TransB, 0) != 0;
        int n = transB ? b.Shape[0] : b.Shape[1];
        if (n != scale.Length) return false;
        float beta = node.Float(ParamKey.Beta, 1f);
        float[]? c = null;
        if (node.InputOrNull(2) is { } cValue)
        {
            if (cValue.Constant is not { } cData) return false;
            var values = cData.AsFloats();
            if (values.Length == 1) c = Enumerable.Repeat(values[0], n).ToArray();
            else if (values.Length == n && cData.Shape[^1] == n) c = values;
            else return false;
        }
        var newB = (float[])b.Floats.Clone();
        int rows = b.Shape[0], cols = b.Shape[1];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < cols; k++) newB[r * cols + k] *= scale[transB ? r : k];
        Replace(graph, node, 1, TensorData.FromFloats(b.Shape, newB), "folded_b");
        var bias = new float[n];
        for (int o = 0; o < n; o++) bias[o] = (c is null ? 0f : beta * c[o] * scale[o]) + shift[o];
        var biasValue = graph.NewConstant($"{node.Name}_folded_c", TensorData.FromFloats([n], bias));
        if (node.Inputs.Count > 2) node.Inputs[2] = biasValue; else node.Inputs.Add(biasValue);
        node.SetParam(ParamKey.Beta, 1f);
        return true;
    }

    private static bool TryBias(Node node, int index, int count, out float[]? bias)
    {
        bias = null;
        if (node.InputOrNull(index) is not { } b) return true;
        if (b.Constant is not { } data || data.Count != count) return false;
        bias = data.AsFloats();
        return true;
    }

    private static void SetBias(Graph graph, Node node, int index, float[]? bias, float[] scale, float[] shift)
    {
        var folded = new float[scale.Length];
        for (int o = 0; o < folded.Length; o++) folded[o] = (bias is null ? 0f : bias[o] * scale[o]) + shift[o];
        var value = graph.NewConstant($"{node.Name}_folded_bias", TensorData.FromFloats([folded.Length], folded));
        while (node.Inputs.Count <= index) node.Inputs.Add(null);
        node.Inputs[index] = value;
    }

    private static void Replace(Graph graph, Node node, int index, TensorData data, string suffix) =>
        node.Inputs[index] = graph.NewConstant($"{node.Name}_{suffix}", data);
}
