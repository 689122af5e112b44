using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Canonical;

/// <summary>Data-movement ONNX ops → Reshape, Transpose, Concat, Split, Slice, Pad, Gather (Expand → Binary Add of zeros).</summary>
internal static class ShapeRules
{
    public static bool TryRewrite(Graph graph, Node node)
    {
        switch (node.OpType)
        {
            case "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Identity":
                Copy(graph, node);
                return true;
            case "Dropout":
                Rewrite.DropUnusedOutputs(graph, node, 1);
                Copy(graph, node);
                return true;
            case "Cast":
                var to = (ElementType)node.GetInt("to", 0);
                if (!RemoveIdentityPass.IsExactFloatCast(node))
                    throw Rewrite.Unsupported(graph, node, $"casting {node.Input(0).Type.OnnxName()} to {to.OnnxName()} at run time (the runtime computes in float32; only casts that fold at compile time are supported)");
                Copy(graph, node);
                return true;
            case "Transpose":
                Transpose(node);
                return true;
            case "Concat":
                var rank = Rewrite.OutputShape(node).Length;
                int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), rank);
                Rewrite.Become(node, OpCode.Concat, node.Inputs.Where(v => v is not null).ToArray()).SetParam(ParamKey.Axis, axis);
                return true;
            case "Split":
                Split(graph, node);
                return true;
            case "Slice":
                Slice(graph, node);
                return true;
            case "Pad":
                Pad(graph, node);
                return true;
            case "Gather":
                Gather(graph, node);
                return true;
            case "Expand":
                Expand(graph, node);
                return true;
            default:
                return false;
        }
    }

    private static void Copy(Graph graph, Node node)
    {
        var x = node.Input(0);
        var inShape = Rewrite.InputShape(node);
        var outShape = Rewrite.OutputShape(node);
        if (Elements(inShape) != Elements(outShape))
            throw Rewrite.Invalid(node, $"reshapes {GraphRewrite.ShapeText(inShape)} into {GraphRewrite.ShapeText(outShape)}: element counts differ");
        Rewrite.Become(node, OpCode.Reshape, x);
    }

    private static long Elements(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    private static void Transpose(Node node)
    {
        var x = node.Input(0);
        int rank = Rewrite.InputShape(node).Length;
        var perm = node.GetInts("perm") is { Length: > 0 } p
            ? Array.ConvertAll(p, v => (int)v)
            : Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank || !Permutation.IsValid(perm))
            throw Rewrite.Invalid(node, $"perm [{string.Join(',', perm)}] is not a permutation of rank {rank}");
        Rewrite.Become(node, OpCode.Transpose, x).SetParam(ParamKey.Perm, perm);
    }

    private static void Split(Graph graph, Node node)
    {
        var x = node.Input(0);
        var shape = Rewrite.InputShape(node);
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), shape.Length);
        var sizes = OnnxOpArguments.SplitSizes(node, graph.Opset, shape[axis], node.Outputs.Count);
        for (int i = 0; i < sizes.Length; i++)
            if (Rewrite.OutputShape(node, i)[axis] != sizes[i])
                throw Rewrite.Invalid(node, $"output {i} has {Rewrite.OutputShape(node, i)[axis]} along axis {axis}, the split says {sizes[i]}");
        Rewrite.Become(node, OpCode.Split, x).SetParam(ParamKey.Axis, axis).SetParam(ParamKey.Sizes, sizes);
    }

    private static void Slice(Graph graph, Node node)
    {
        var x = node.Input(0);
        var args = OnnxOpArguments.Slice(node, graph.Opset, Rewrite.InputShape(node));
        var outShape = Rewrite.OutputShape(node);
        if (!args.OutputShape.AsSpan().SequenceEqual(outShape))
            throw Rewrite.Invalid(node, $"the slice gives {GraphRewrite.ShapeText(args.OutputShape)}, the output is {GraphRewrite.ShapeText(outShape)}");
        Rewrite.Become(node, OpCode.Slice, x)
            .SetParam(ParamKey.Starts, args.Starts).SetParam(ParamKey.Ends, args.Ends).SetParam(ParamKey.Steps, args.Steps);
    }

    private static void Pad(Graph graph, Node node)
    {
        var x = node.Input(0);
        var args = OnnxOpArguments.Pad(node, graph.Opset, Rewrite.InputShape(node));
        var mode = args.Mode switch
        {
            "constant" => PadMode.Constant,
            "reflect" => PadMode.Reflect,
            "edge" => PadMode.Edge,
            _ => throw Rewrite.Unsupported(graph, node, $"mode '{args.Mode}'"),
        };
        var pads = Array.ConvertAll(args.Pads, p => checked((int)p));
        Rewrite.Become(node, OpCode.Pad, x)
            .SetParam(ParamKey.Mode, (int)mode).SetParam(ParamKey.Pads, pads).SetParam(ParamKey.Value, args.Value);
    }

    private static void Gather(Graph graph, Node node)
    {
        var data = node.Input(0);
        var shape = Rewrite.InputShape(node);
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), shape.Length);
        var indicesValue = node.Input(1);
        var indices = indicesValue.Constant
            ?? throw Rewrite.Unsupported(graph, node, $"indices '{indicesValue.Name}' must be a compile-time constant");
        var raw = indices.AsLongs();
        var normalized = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            long k = raw[i] < 0 ? raw[i] + shape[axis] : raw[i];
            if (k < 0 || k >= shape[axis]) throw Rewrite.Invalid(node, $"index {raw[i]} is out of range for axis {axis} of size {shape[axis]}");
            normalized[i] = (int)k;
        }
        Rewrite.Become(node, OpCode.Gather, data)
            .SetParam(ParamKey.Axis, axis).SetParam(ParamKey.Indices, normalized).SetParam(ParamKey.IndicesShape, indices.Shape);
    }

    /// <summary>Expand is a broadcast: adding zeros of the smallest shape that broadcasts x to the output.</summary>
    private static void Expand(Graph graph, Node node)
    {
        var x = node.Input(0);
        var outShape = Rewrite.OutputShape(node);
        var padded = Broadcasting.PadLeft(Rewrite.InputShape(node), outShape.Length);
        if (padded.Length != outShape.Length) throw Rewrite.Invalid(node, "the output has a lower rank than the input");
        var zerosShape = new int[outShape.Length];
        for (int i = 0; i < outShape.Length; i++) zerosShape[i] = padded[i] == outShape[i] ? 1 : outShape[i];
        var zeros = graph.NewConstant($"{node.Name}_zeros", TensorData.FromFloats(zerosShape, new float[Elements(zerosShape)]));
        Rewrite.Become(node, OpCode.Binary, x, zeros).SetParam(ParamKey.Kind, (int)BinaryKind.Add);
    }
}
