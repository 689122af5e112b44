using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Transposes;

/// <summary>How an edge op commutes with a transpose. For y = Transpose(x, p), an op on y equals the op
/// on x with its axes renamed (y axis i is x axis p[i]) followed by Transpose(·, p).</summary>
internal enum SinkKind
{
    /// <summary>The op cannot run on the untransposed data.</summary>
    No,
    /// <summary>Outputs keep rank and come out untransposed by p as well (element-wise, Concat, Slice, ...).</summary>
    SamePerm,
    /// <summary>Outputs need a different permutation q (or none): Reduce without keepdims, Reshape of a
    /// memory-order-preserving transpose.</summary>
    Terminal,
}

internal static class LayoutAgnosticOps
{
    /// <summary>Whether <paramref name="node"/> can take its transposed inputs untransposed. Inputs that are
    /// not in the transposed view must be constants the op can adapt; the caller checks view membership.</summary>
    public static SinkKind Classify(Node node, int[] p, Func<Value, bool> inView)
    {
        if (!node.TryGetCode(out var code)) return SinkKind.No;
        int r = p.Length;
        foreach (var v in node.Inputs)
        {
            if (v is null || inView(v)) continue;
            if (!v.IsConstant) return SinkKind.No;
            if (!AdaptsConstants(code) || v.Rank > r) return SinkKind.No;
        }
        if (!node.Inputs.Any(v => v is not null && inView(v))) return SinkKind.No;
        switch (code)
        {
            case OpCode.Unary:
                return SinkKind.SamePerm;
            case OpCode.Binary:
                return node.Outputs[0].Rank == r ? SinkKind.SamePerm : SinkKind.No;
            case OpCode.Concat:
            case OpCode.Split:
            case OpCode.Softmax:
            case OpCode.Slice:
            case OpCode.Pad:
            case OpCode.Resize:
                return SinkKind.SamePerm;
            case OpCode.ChannelAffine:
            case OpCode.ChannelShuffle:
                return inView(node.Input(0)) && p[r - 1] == r - 1 ? SinkKind.SamePerm : SinkKind.No;
            case OpCode.Reduce:
                return node.Int(ParamKey.KeepDims, 1) != 0 ? SinkKind.SamePerm : SinkKind.Terminal;
            case OpCode.Gather:
                return node.Ints(ParamKey.IndicesShape) is { Length: 1 } ? SinkKind.SamePerm : SinkKind.No;
            case OpCode.Reshape:
                return SinkKind.Terminal;
            default:
                return SinkKind.No;
        }
    }

    /// <summary>For a Terminal op, whether it may take this input shape (x-layout) at all.</summary>
    public static bool TerminalAccepts(Node node, int[] p, int[] untransposedInputShape) =>
        !node.Is(OpCode.Reshape) || Permutation.PreservesMemoryOrder(untransposedInputShape, p);

    private static bool AdaptsConstants(OpCode code) => code is OpCode.Binary or OpCode.Concat or OpCode.ChannelAffine;

    /// <summary>Renames the op's per-axis params for the untransposed input. For a Terminal op returns the
    /// permutation its output then needs (null: none).</summary>
    public static int[]? RemapParams(Node node, int[] p, int[] untransposedInputShape)
    {
        node.TryGetCode(out var code);
        var inv = Permutation.Inverse(p);
        int r = p.Length;
        switch (code)
        {
            case OpCode.Concat:
            case OpCode.Split:
            case OpCode.Softmax:
            case OpCode.Gather:
                node.SetParam(ParamKey.Axis, p[node.Int(ParamKey.Axis, 0)]);
                return null;
            case OpCode.Slice:
                foreach (var key in new[] { ParamKey.Starts, ParamKey.Ends, ParamKey.Steps })
                    node.SetParam(key, Permutation.Apply(inv, node.Ints(key)!));
                return null;
            case OpCode.Pad:
                var pads = node.Ints(ParamKey.Pads)!;
                var begins = Permutation.Apply(inv, pads[..r]);
                var ends = Permutation.Apply(inv, pads[r..]);
                node.SetParam(ParamKey.Pads, [.. begins, .. ends]);
                return null;
            case OpCode.Resize:
                node.SetParam(ParamKey.Scales, Permutation.Apply(inv, node.Floats(ParamKey.Scales)!));
                return null;
            case OpCode.Reduce:
                var axes = node.Ints(ParamKey.Axes)!;
                var mapped = axes.Select(a => p[a]).OrderBy(a => a).ToArray();
                node.SetParam(ParamKey.Axes, mapped);
                if (node.Int(ParamKey.KeepDims, 1) != 0) return null;
                // Output axis k is the k-th kept y axis; find where its x axis lands among the kept x axes.
                var keptX = Enumerable.Range(0, r).Where(a => !mapped.Contains(a)).ToList();
                var keptY = Enumerable.Range(0, r).Where(a => !axes.Contains(a)).ToList();
                var q = keptY.Select(i => keptX.IndexOf(p[i])).ToArray();
                return Permutation.IsIdentity(q) ? null : q;
            default:
                return null;
        }
    }

    /// <summary>The constant to use after sinking: c = Transpose(c', p), so c' = Transpose(c padded to rank r, p⁻¹).</summary>
    public static TensorData AdaptConstant(Node node, TensorData c, int[] p)
    {
        if (node.Is(OpCode.ChannelAffine)) return c;
        var padded = c.WithShape(Broadcasting.PadLeft(c.Shape, p.Length));
        return Permutation.Transpose(padded, Permutation.Inverse(p));
    }
}
