using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Ir;

/// <summary>
/// Evaluates ai.onnx nodes whose inputs are constants, with ONNX semantics on <see cref="TensorData"/>:
/// integer math is exact (wrapped to the element type's width, division truncates), float math is
/// float32. Shape and Size need only their input's static shape. The importer folds shape chains with
/// it; the constant-folding pass reuses it.
/// </summary>
public static partial class ConstantEvaluator
{
    /// <summary>Folding stops at outputs larger than this (a folded Expand of a feature map would only bloat the model).</summary>
    public const long DefaultMaxElements = 1 << 24;

    private static readonly HashSet<string> Ops = new(StringComparer.Ordinal)
    {
        "Identity", "Dropout", "Cast", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Sqrt", "Exp",
        "Log", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Elu", "Softplus", "Clip", "Not",
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "PRelu",
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Where",
        "Shape", "Size", "ConstantOfShape", "Range", "Expand", "Tile", "Concat", "Split", "Slice", "Gather",
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose",
        "ReduceSum", "ReduceProd", "ReduceMin", "ReduceMax", "ReduceMean",
    };

    /// <summary>Whether the evaluator knows <paramref name="opType"/> (ai.onnx domain).</summary>
    public static bool Supports(string opType) => Ops.Contains(opType);

    public static bool TryEvaluate(Node node, int opset, out TensorData[] outputs) =>
        TryEvaluate(node, opset, DefaultMaxElements, out outputs);

    /// <summary>Computes the outputs of <paramref name="node"/> when all its inputs are constants (Shape and
    /// Size: when their input has a static shape). Returns false when the op is not evaluable here, an
    /// input is not constant, or an output would exceed <paramref name="maxElements"/>. Inconsistent
    /// constants (bad reshape, out-of-range index) throw <see cref="OnnxImportException"/>.</summary>
    public static bool TryEvaluate(Node node, int opset, long maxElements, out TensorData[] outputs)
    {
        outputs = [];
        if (node.Domain.Length != 0 || !Ops.Contains(node.OpType)) return false;
        // Dropout in training mode is random.
        if (node.OpType == "Dropout" && node.InputOrNull(2)?.Constant is { } training && training.AsLongs().Any(v => v != 0)) return false;
        if (node.OpType is "Shape" or "Size")
        {
            if (node.InputOrNull(0)?.Shape is null) return false;
        }
        else
        {
            foreach (var v in node.Inputs)
                if (v is not null && !v.IsConstant) return false;
        }
        var types = ShapeInference.Compute(node, opset);
        int produced = Math.Min(types.Length, Math.Max(node.Outputs.Count, 1));
        for (int i = 0; i < produced; i++)
            if (ShapeInference.Product(types[i].Shape) > maxElements) return false;
        outputs = Evaluate(node, opset, types[..produced]);
        return true;
    }

    private static TensorData[] Evaluate(Node node, int opset, TensorType[] types)
    {
        var t0 = types[0];
        return node.OpType switch
        {
            "Identity" => [Data(node, 0)],
            "Dropout" => [Data(node, 0), TensorData.FromLongs(t0.Shape, Filled(t0.Shape, 1L), ElementType.Bool)],
            "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" => [Data(node, 0).WithShape(t0.Shape)],
            "Cast" => [Cast(Data(node, 0), t0.Type)],
            "Shape" => [ShapeOf(node, opset)],
            "Size" => [TensorData.Scalar(ShapeInference.Product(node.Input(0).RequireShape()))],
            "ConstantOfShape" => [ConstantOfShape(node, t0)],
            "Range" => [Range(node, t0)],
            "Expand" => [Remap(Data(node, 0), BroadcastMap(Data(node, 0).Shape, t0.Shape), t0.Shape)],
            "Tile" => [Remap(Data(node, 0), TileMap(Data(node, 0).Shape, t0.Shape), t0.Shape)],
            "Transpose" => [Transpose(node, Data(node, 0), t0.Shape)],
            "Slice" => [Slice(Data(node, 0), OnnxOpArguments.Slice(node, opset, Data(node, 0).Shape))],
            "Concat" => [Concat(node, t0)],
            "Split" => Split(node, types),
            "Gather" => [Gather(node, t0)],
            "Where" => [Where(node, t0)],
            "ReduceSum" or "ReduceProd" or "ReduceMin" or "ReduceMax" or "ReduceMean" => [Reduce(node, opset, t0)],
            _ when IsBinary(node.OpType) => [Variadic(node, t0)],
            _ => [Unary(node, opset, Data(node, 0), t0.Type)],
        };
    }

    private static TensorData Data(Node node, int index) =>
        node.Input(index).Constant ?? throw OnnxOpArguments.Invalid(node, $"input {index} is not a constant");

    private static T[] Filled<T>(int[] shape, T value)
    {
        var a = new T[ShapeInference.Product(shape)];
        Array.Fill(a, value);
        return a;
    }

    private static TensorData ShapeOf(Node node, int opset)
    {
        var shape = node.Input(0).RequireShape();
        var (start, end) = ShapeInference.ShapeRangeOf(node, opset, shape.Length);
        var dims = new long[end - start];
        for (int i = 0; i < dims.Length; i++) dims[i] = shape[start + i];
        return TensorData.FromLongs([dims.Length], dims);
    }

    private static TensorData ConstantOfShape(Node node, TensorType t)
    {
        var value = node.Attributes.TryGetValue("value", out var a) && a.T is not null ? a.T : TensorData.Scalar(0f);
        if (value.Count != 1) throw OnnxOpArguments.Invalid(node, $"value must hold one element, got {value}");
        return value.Floats is not null
            ? TensorData.FromFloats(t.Shape, Filled(t.Shape, value.Floats[0]), value.Type)
            : TensorData.FromLongs(t.Shape, Filled(t.Shape, value.Longs![0]), value.Type);
    }

    private static TensorData Range(Node node, TensorType t)
    {
        var start = Data(node, 0);
        var delta = Data(node, 2);
        int n = t.Shape[0];
        if (start.Type.IsFloatingPoint())
        {
            float s = start.AsFloats()[0], d = delta.AsFloats()[0];
            var f = new float[n];
            for (int i = 0; i < n; i++) f[i] = s + i * d;
            return TensorData.FromFloats([n], f, start.Type);
        }
        long ls = start.AsLongs()[0], ld = delta.AsLongs()[0];
        var l = new long[n];
        for (int i = 0; i < n; i++) l[i] = Wrap(start.Type, unchecked(ls + i * ld));
        return TensorData.FromLongs([n], l, start.Type);
    }

    /// <summary>Element i of the result is element map[i] of <paramref name="src"/>.</summary>
    private static TensorData Remap(TensorData src, int[] map, int[] shape)
    {
        if (src.Floats is { } f)
        {
            var r = new float[map.Length];
            for (int i = 0; i < r.Length; i++) r[i] = f[map[i]];
            return TensorData.FromFloats(shape, r, src.Type);
        }
        var l = src.Longs!;
        var q = new long[map.Length];
        for (int i = 0; i < q.Length; i++) q[i] = l[map[i]];
        return TensorData.FromLongs(shape, q, src.Type);
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    private static long[] Strides(int[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>Walks <paramref name="outShape"/> in row-major order; the source index moves by
    /// strides[d] along output dim d, starting at <paramref name="offset"/>.</summary>
    private static int[] StridedMap(int[] outShape, long[] strides, long offset)
    {
        long count = ShapeInference.Product(outShape);
        var map = new int[count];
        if (count == 0) return map;
        var idx = new int[outShape.Length];
        long cur = offset;
        for (long i = 0; i < count; i++)
        {
            map[i] = (int)cur;
            for (int d = outShape.Length - 1; d >= 0; d--)
            {
                idx[d]++;
                cur += strides[d];
                if (idx[d] < outShape[d]) break;
                cur -= strides[d] * outShape[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    /// <summary>numpy broadcasting of a tensor of <paramref name="inShape"/> to <paramref name="outShape"/>.</summary>
    private static int[] BroadcastMap(int[] inShape, int[] outShape)
    {
        var inStrides = Strides(inShape);
        var strides = new long[outShape.Length];
        int lead = outShape.Length - inShape.Length;
        for (int d = lead; d < outShape.Length; d++)
            strides[d] = inShape[d - lead] == 1 ? 0 : inStrides[d - lead];
        return StridedMap(outShape, strides, 0);
    }

    private static int[] TileMap(int[] inShape, int[] outShape)
    {
        long count = ShapeInference.Product(outShape);
        var map = new int[count];
        var inStrides = Strides(inShape);
        var coords = new int[outShape.Length];
        for (long i = 0; i < count; i++)
        {
            long src = 0;
            for (int d = 0; d < outShape.Length; d++) src += coords[d] % inShape[d] * inStrides[d];
            map[i] = (int)src;
            for (int d = outShape.Length - 1; d >= 0; d--)
            {
                if (++coords[d] < outShape[d]) break;
                coords[d] = 0;
            }
        }
        return map;
    }

    private static TensorData Transpose(Node node, TensorData x, int[] outShape)
    {
        var perm = ShapeInference.Permutation(node, x.Rank);
        var inStrides = Strides(x.Shape);
        var strides = new long[perm.Length];
        for (int d = 0; d < perm.Length; d++) strides[d] = inStrides[perm[d]];
        return Remap(x, StridedMap(outShape, strides, 0), outShape);
    }

    private static TensorData Slice(TensorData x, OnnxOpArguments.SliceArgs args)
    {
        var inStrides = Strides(x.Shape);
        var strides = new long[x.Rank];
        long offset = 0;
        for (int d = 0; d < x.Rank; d++)
        {
            strides[d] = inStrides[d] * args.Steps[d];
            if (args.OutputShape[d] > 0) offset += args.Starts[d] * inStrides[d];
        }
        return Remap(x, StridedMap(args.OutputShape, strides, offset), args.OutputShape);
    }

    private static TensorData[] Split(Node node, TensorType[] types)
    {
        var x = Data(node, 0);
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), x.Rank);
        var inStrides = Strides(x.Shape);
        var result = new TensorData[types.Length];
        long start = 0;
        for (int i = 0; i < types.Length; i++)
        {
            var shape = types[i].Shape;
            result[i] = Remap(x, StridedMap(shape, inStrides, start * inStrides[axis]), shape);
            start += shape[axis];
        }
        return result;
    }

    private static TensorData Concat(Node node, TensorType t)
    {
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), t.Shape.Length);
        long outer = ShapeInference.Product(t.Shape, 0, axis);
        var parts = new TensorData[node.Inputs.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = Data(node, i);
        bool floating = parts.Any(p => p.Floats is not null);
        long total = ShapeInference.Product(t.Shape);
        var f = floating ? new float[total] : null;
        var l = floating ? null : new long[total];
        long pos = 0;
        for (long o = 0; o < outer; o++)
        {
            foreach (var p in parts)
            {
                long block = ShapeInference.Product(p.Shape, axis);
                long from = o * block;
                if (f is not null)
                {
                    var src = p.AsFloats();
                    Array.Copy(src, from, f, pos, block);
                }
                else Array.Copy(p.Longs!, from, l!, pos, block);
                pos += block;
            }
        }
        return f is not null ? TensorData.FromFloats(t.Shape, f, parts.First(p => p.Floats is not null).Type) : TensorData.FromLongs(t.Shape, l!, t.Type);
    }

    private static TensorData Gather(Node node, TensorType t)
    {
        var data = Data(node, 0);
        var indices = Data(node, 1).AsLongs();
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), data.Rank);
        long outer = ShapeInference.Product(data.Shape, 0, axis);
        long inner = ShapeInference.Product(data.Shape, axis + 1);
        int dim = data.Shape[axis];
        var map = new int[ShapeInference.Product(t.Shape)];
        long k = 0;
        for (long o = 0; o < outer; o++)
            foreach (var raw in indices)
            {
                long idx = raw < 0 ? raw + dim : raw;
                long baseIndex = (o * dim + idx) * inner;
                for (long j = 0; j < inner; j++) map[k++] = (int)(baseIndex + j);
            }
        return Remap(data, map, t.Shape);
    }
}
