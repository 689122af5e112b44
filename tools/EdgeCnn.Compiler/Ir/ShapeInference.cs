using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Ir;

/// <summary>The static shape and element type of one value.</summary>
public readonly record struct TensorType(int[] Shape, ElementType Type);

/// <summary>
/// Static shape and type inference for ai.onnx nodes (ONNX semantics, NCHW, opsets 9–21). Inputs
/// must already have shapes; arguments that decide shapes (Reshape's shape, Slice's starts, ...)
/// must be constants. Opset-dependent conventions are read through <see cref="OnnxOpArguments"/>.
/// Throws <see cref="OnnxImportException"/> naming the node for inconsistent input, and
/// <see cref="UnsupportedOperatorException"/> for ops it does not know.
/// </summary>
public static partial class ShapeInference
{
    /// <summary>Computes and stores the shape and type of every output of <paramref name="node"/>.</summary>
    public static void Infer(Node node, int opset)
    {
        var types = Compute(node, opset);
        for (int i = 0; i < node.Outputs.Count; i++)
        {
            node.Outputs[i].Shape = types[i].Shape;
            node.Outputs[i].Type = types[i].Type;
        }
    }

    /// <summary>The shape and type of each output of <paramref name="node"/>, without changing the node.</summary>
    public static TensorType[] Compute(Node node, int opset)
    {
        if (node.Domain.Length != 0)
            throw new UnsupportedOperatorException(node.OpType, node.Name, opset, $"domain '{node.Domain}' has no ONNX shape inference");
        var result = Dispatch(node, opset);
        if (node.Outputs.Count > result.Length)
            throw OnnxOpArguments.Invalid(node, $"has {node.Outputs.Count} outputs, at most {result.Length} expected");
        foreach (var t in result)
            foreach (var d in t.Shape)
                if (d < 0) throw OnnxOpArguments.Invalid(node, $"inferred a negative dimension [{string.Join(',', t.Shape)}]");
        return result;
    }

    private static TensorType[] Dispatch(Node node, int opset) => node.OpType switch
    {
        "Identity" or "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "HardSigmoid" or "HardSwish" or "Sqrt" or "Exp"
            or "Log" or "Abs" or "Neg" or "Reciprocal" or "Floor" or "Ceil" or "Round" or "Sign" or "Erf" or "Elu"
            or "Softplus" or "Clip" or "LRN" or "Softmax" or "LogSoftmax" or "Sin" or "Cos" or "Selu" or "Celu"
            or "Softsign" or "ThresholdedRelu" or "Mish" or "Gelu" => Same(node),
        "Not" => [new(In(node, 0), ElementType.Bool)],
        "Dropout" => Dropout(node),
        "Cast" => [new(In(node, 0), CastTarget(node, opset))],
        "BatchNormalization" => BatchNormalization(node, opset),
        "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Mod" or "Max" or "Min" or "Sum" or "Mean" or "PRelu"
            or "And" or "Or" or "Xor" or "BitShift" => [new(Broadcast(node, 0, node.Inputs.Count), TypeOf(node, 0))],
        "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" =>
            [new(Broadcast(node, 0, node.Inputs.Count), ElementType.Bool)],
        "Where" => [new(Broadcast(node, 0, 3), TypeOf(node, 1))],
        "Conv" or "ConvTranspose" => Convolution(node, opset),
        "MaxPool" or "AveragePool" or "LpPool" => Pool(node, opset),
        "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool" => GlobalPool(node),
        "DepthToSpace" or "SpaceToDepth" => DepthSpace(node),
        "Resize" or "Upsample" => [new(ResizeArgs.Read(node, opset, In(node, 0)).OutputShape, TypeOf(node, 0))],
        "Gemm" => Gemm(node),
        "MatMul" => [new(MatMul(node), TypeOf(node, 0))],
        "Concat" => Concat(node),
        "Split" => Split(node, opset),
        "Slice" => [new(OnnxOpArguments.Slice(node, opset, In(node, 0)).OutputShape, TypeOf(node, 0))],
        "Pad" => [new(OnnxOpArguments.Pad(node, opset, In(node, 0)).OutputShape, TypeOf(node, 0))],
        "Flatten" => Flatten(node),
        "Reshape" => [new(Reshape(node, opset), TypeOf(node, 0))],
        "Transpose" => [new(Transpose(node, In(node, 0)), TypeOf(node, 0))],
        "Squeeze" => [new(Squeeze(node, opset), TypeOf(node, 0))],
        "Unsqueeze" => [new(Unsqueeze(node, opset), TypeOf(node, 0))],
        "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL1" or "ReduceL2"
            or "ReduceSumSquare" or "ReduceLogSum" or "ReduceLogSumExp" => [new(Reduce(node, opset), TypeOf(node, 0))],
        "Gather" => Gather(node),
        "Shape" => [new([ShapeRange(node, opset, In(node, 0).Length).Length], ElementType.Int64)],
        "Size" => [new([], ElementType.Int64)],
        "ConstantOfShape" => ConstantOfShape(node, opset),
        "Range" => Range(node, opset),
        "Expand" => Expand(node, opset),
        "Tile" => Tile(node, opset),
        _ => throw new UnsupportedOperatorException(node.OpType, node.Name, opset, "no shape inference for this op"),
    };

    /// <summary>The static shape of input <paramref name="index"/>.</summary>
    private static int[] In(Node node, int index) => OnnxOpArguments.InputShape(node, index);

    private static ElementType TypeOf(Node node, int index) => node.Input(index).Type;

    private static TensorType[] Same(Node node) => [new(In(node, 0), TypeOf(node, 0))];

    /// <summary>The [start, end) range of dims Shape reports (start/end attributes from opset 15).</summary>
    public static (int Start, int End) ShapeRangeOf(Node node, int opset, int rank)
    {
        long start = opset >= 15 ? node.GetInt("start", 0) : 0;
        long end = opset >= 15 ? node.GetInt("end", rank) : rank;
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = Math.Clamp(start, 0, rank);
        end = Math.Clamp(end, 0, rank);
        return ((int)start, (int)Math.Max(start, end));
    }

    private static int[] ShapeRange(Node node, int opset, int rank)
    {
        var (start, end) = ShapeRangeOf(node, opset, rank);
        return Enumerable.Range(start, end - start).ToArray();
    }

    /// <summary>numpy (multidirectional) broadcasting of inputs [first, first + count); absent inputs are skipped.</summary>
    private static int[] Broadcast(Node node, int first, int count)
    {
        int[]? result = null;
        for (int i = first; i < first + count; i++)
        {
            if (node.InputOrNull(i) is null) continue;
            var s = In(node, i);
            result = result is null ? s : BroadcastShapes(node, result, s);
        }
        return result ?? throw OnnxOpArguments.Invalid(node, "has no inputs");
    }

    /// <summary>numpy broadcasting of two shapes; throws naming the node when they are incompatible.</summary>
    public static int[] BroadcastShapes(Node node, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da == db || db == 1) r[i] = da;
            else if (da == 1) r[i] = db;
            else throw OnnxOpArguments.Invalid(node, $"shapes [{string.Join(',', a)}] and [{string.Join(',', b)}] do not broadcast");
        }
        return r;
    }

    private static ElementType CastTarget(Node node, int opset)
    {
        long to = node.GetInt("to", -1);
        if (to == -1) throw OnnxOpArguments.Invalid(node, "attribute 'to' is missing");
        return Onnx.TensorProtoConverter.ToElementType((int)to)
            ?? throw new UnsupportedOperatorException(node.OpType, node.Name, opset, $"cast to {Onnx.TensorProtoConverter.DataTypeName((int)to)}");
    }

    private static TensorType[] Dropout(Node node)
    {
        var x = In(node, 0);
        return [new(x, TypeOf(node, 0)), new(x, ElementType.Bool)];
    }

    private static TensorType[] BatchNormalization(Node node, int opset)
    {
        var x = In(node, 0);
        if (x.Length < 2) throw OnnxOpArguments.Invalid(node, $"input of rank {x.Length} has no channel axis");
        for (int i = 1; i <= 4; i++)
        {
            var p = In(node, i);
            if (p.Length != 1 || p[0] != x[1])
                throw OnnxOpArguments.Invalid(node, $"input {i} has shape [{string.Join(',', p)}], [{x[1]}] expected");
        }
        var c = new[] { x[1] };
        var t = TypeOf(node, 0);
        return [new(x, t), new(c, t), new(c, t), new(c, t), new(c, t)];
    }

    private static TensorType[] ConstantOfShape(Node node, int opset)
    {
        var dims = OnnxOpArguments.RequiredConstant(node, 0, opset, "shape").AsLongs();
        var type = node.Attributes.TryGetValue("value", out var v) && v.T is not null ? v.T.Type : ElementType.Float32;
        return [new(ToDims(node, dims, "shape"), type)];
    }

    private static TensorType[] Range(Node node, int opset)
    {
        var start = OnnxOpArguments.RequiredConstant(node, 0, opset, "start");
        var limit = OnnxOpArguments.RequiredConstant(node, 1, opset, "limit");
        var delta = OnnxOpArguments.RequiredConstant(node, 2, opset, "delta");
        return [new([RangeCount(node, start, limit, delta)], start.Type)];
    }

    /// <summary>max(ceil((limit − start) / delta), 0), exact for integers.</summary>
    public static int RangeCount(Node node, TensorData start, TensorData limit, TensorData delta)
    {
        double count;
        if (start.Type.IsFloatingPoint())
        {
            double s = OnnxOpArguments.ScalarFloat(node, start, "start");
            double l = OnnxOpArguments.ScalarFloat(node, limit, "limit");
            double d = OnnxOpArguments.ScalarFloat(node, delta, "delta");
            if (d == 0) throw OnnxOpArguments.Invalid(node, "delta is 0");
            count = Math.Ceiling((l - s) / d);
        }
        else
        {
            long s = OnnxOpArguments.ScalarLong(node, start, "start");
            long l = OnnxOpArguments.ScalarLong(node, limit, "limit");
            long d = OnnxOpArguments.ScalarLong(node, delta, "delta");
            if (d == 0) throw OnnxOpArguments.Invalid(node, "delta is 0");
            long span = l - s;
            long q = span / d;
            if (span % d != 0 && (span < 0) == (d < 0)) q++;
            count = q;
        }
        if (double.IsNaN(count) || count > Array.MaxLength) throw OnnxOpArguments.Invalid(node, $"range of {count} elements");
        return (int)Math.Max(0, count);
    }

    private static TensorType[] Expand(Node node, int opset)
    {
        var dims = OnnxOpArguments.RequiredConstant(node, 1, opset, "shape").AsLongs();
        var target = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue) throw OnnxOpArguments.Invalid(node, $"shape [{string.Join(',', dims)}] has an invalid dim");
            target[i] = (int)dims[i];
        }
        return [new(BroadcastShapes(node, In(node, 0), target), TypeOf(node, 0))];
    }

    private static TensorType[] Tile(Node node, int opset)
    {
        var x = In(node, 0);
        var repeats = OnnxOpArguments.RequiredConstant(node, 1, opset, "repeats").AsLongs();
        if (repeats.Length != x.Length) throw OnnxOpArguments.Invalid(node, $"repeats has {repeats.Length} entries for rank {x.Length}");
        var r = new int[x.Length];
        for (int i = 0; i < r.Length; i++)
        {
            long d = x[i] * repeats[i];
            if (repeats[i] < 0 || d > int.MaxValue) throw OnnxOpArguments.Invalid(node, $"repeats [{string.Join(',', repeats)}] are invalid");
            r[i] = (int)d;
        }
        return [new(r, TypeOf(node, 0))];
    }

    /// <summary>Converts ONNX dims (int64) to an int[] shape, rejecting negative or huge dims.</summary>
    internal static int[] ToDims(Node node, long[] dims, string what)
    {
        var r = new int[dims.Length];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue) throw OnnxOpArguments.Invalid(node, $"{what} [{string.Join(',', dims)}] has an invalid dim");
            r[i] = (int)dims[i];
            count *= r[i];
            if (count > Array.MaxLength) throw OnnxOpArguments.Invalid(node, $"{what} [{string.Join(',', dims)}] is too large");
        }
        return r;
    }

    internal static long Product(int[] shape, int from = 0, int to = -1)
    {
        if (to < 0) to = shape.Length;
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }
}
