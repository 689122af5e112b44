using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Which ai.onnx ops (and which of their attribute values) EdgeCnn compiles, and which inputs it needs
/// at compile time. Ops outside <see cref="RuntimeOps"/> are accepted only when they fold to constants.
/// </summary>
public static class OnnxOperatorSupport
{
    /// <summary>Ops that may remain in the graph after import (lowered to runtime operators).</summary>
    public static IReadOnlySet<string> RuntimeOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
        "BatchNormalization", "LRN", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Clip", "HardSigmoid",
        "HardSwish", "Softmax", "LogSoftmax", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt",
        "Max", "Min", "Sum", "Mean", "Concat", "Split", "Slice", "Flatten", "Reshape", "Transpose", "Squeeze",
        "Unsqueeze", "Pad", "Resize", "Upsample", "ReduceMean", "Identity", "Dropout", "DepthToSpace",
        "SpaceToDepth", "Cast", "Shape", "Gather",
        // Element-wise functions and reductions the runtime has kernels for (OpCode.Unary / OpCode.Reduce).
        "Exp", "Log", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Elu", "Softplus", "Erf",
        "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceSumSquare",
    };

    /// <summary>Whether EdgeCnn needs input <paramref name="inputIndex"/> of <paramref name="opType"/> as a
    /// compile-time constant at <paramref name="opset"/> (shapes, indices, weights of convolutions, ...).</summary>
    public static bool RequiresConstantInput(string opType, int inputIndex, int opset) => opType switch
    {
        "Reshape" or "Expand" or "Tile" or "Gather" or "Upsample" => inputIndex == 1,
        "Slice" => opset >= 10 && inputIndex is >= 1 and <= 4,
        "Pad" => opset >= 11 && inputIndex is >= 1 and <= 3,
        "Resize" => inputIndex is >= 1 and <= 3,
        "Clip" => opset >= 11 && inputIndex is 1 or 2,
        "Split" => opset >= 13 && inputIndex == 1,
        "Squeeze" or "Unsqueeze" or "ReduceSum" => opset >= 13 && inputIndex == 1,
        "ReduceMean" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL1" or "ReduceL2" or "ReduceSumSquare"
            or "ReduceLogSum" or "ReduceLogSumExp" => opset >= 18 && inputIndex == 1,
        "TopK" => opset >= 10 && inputIndex == 1,
        "Conv" or "ConvTranspose" => inputIndex is 1 or 2,
        "BatchNormalization" => inputIndex is >= 1 and <= 4,
        "ConstantOfShape" => inputIndex == 0,
        "Range" => inputIndex is >= 0 and <= 2,
        "Dropout" => inputIndex is 1 or 2,
        _ => false,
    };

    /// <summary>Throws <see cref="UnsupportedOperatorException"/> when <paramref name="node"/> (a runtime op) uses an
    /// attribute value, rank or mode EdgeCnn does not implement. Call after its inputs have shapes.</summary>
    public static void CheckSupported(Node node, int opset)
    {
        switch (node.OpType)
        {
            case "Conv" or "ConvTranspose" or "MaxPool" or "AveragePool" or "LpPool" or "GlobalAveragePool" or "GlobalMaxPool":
            {
                int rank = OnnxOpArguments.InputShape(node, 0).Length;
                if (rank is not (3 or 4))
                    throw OnnxOpArguments.Unsupported(node, opset, $"only 1-D and 2-D spatial inputs are supported (input rank {rank})");
                if (node.OpType == "MaxPool" && node.Outputs.Count > 1)
                    throw OnnxOpArguments.Unsupported(node, opset, "the Indices output is not supported");
                if (node.OpType == "LpPool" && node.GetInt("p", 2) is not (1 or 2))
                    throw OnnxOpArguments.Unsupported(node, opset, $"p = {node.GetInt("p", 2)}; only p = 1 and p = 2 are supported");
                break;
            }
            case "BatchNormalization":
                if (node.GetInt("training_mode", 0) != 0 || node.Outputs.Count > 1)
                    throw OnnxOpArguments.Unsupported(node, opset, "training mode is not supported (inference only)");
                break;
            case "Dropout":
                if (node.InputOrNull(2)?.Constant is { } training && training.AsLongs().Any(v => v != 0))
                    throw OnnxOpArguments.Unsupported(node, opset, "training mode is not supported (inference only)");
                break;
            case "Pad":
            {
                string mode = OnnxOpArguments.Pad(node, opset, OnnxOpArguments.InputShape(node, 0)).Mode;
                if (mode is not ("constant" or "reflect" or "edge"))
                    throw OnnxOpArguments.Unsupported(node, opset, $"mode '{mode}' is not supported (constant, reflect, edge are)");
                break;
            }
            case "Resize" or "Upsample":
            {
                var args = ResizeArgs.Read(node, opset, OnnxOpArguments.InputShape(node, 0));
                if (args.Mode is not ("nearest" or "linear"))
                    throw OnnxOpArguments.Unsupported(node, opset, $"mode '{args.Mode}' is not supported (nearest, linear are)");
                if (args.CoordinateMode is not ("half_pixel" or "align_corners" or "asymmetric" or "pytorch_half_pixel" or "tf_half_pixel_for_nn"))
                    throw OnnxOpArguments.Unsupported(node, opset, $"coordinate_transformation_mode '{args.CoordinateMode}' is not supported");
                if (args.NearestMode is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
                    throw OnnxOpArguments.Unsupported(node, opset, $"nearest_mode '{args.NearestMode}' is not supported");
                if (args.Antialias)
                    throw OnnxOpArguments.Unsupported(node, opset, "antialias is not supported");
                break;
            }
        }
    }
}
