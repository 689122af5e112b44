using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Ir;

public static partial class ShapeInference
{
    private static TensorType[] Gemm(Node node)
    {
        var a = In(node, 0);
        var b = In(node, 1);
        if (a.Length != 2 || b.Length != 2)
            throw OnnxOpArguments.Invalid(node, $"A [{string.Join(',', a)}] and B [{string.Join(',', b)}] must be 2-D");
        bool ta = node.GetInt("transA", 0) != 0, tb = node.GetInt("transB", 0) != 0;
        int m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
        int kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
        if (k != kb) throw OnnxOpArguments.Invalid(node, $"inner dims differ: A [{string.Join(',', a)}] transA={(ta ? 1 : 0)}, B [{string.Join(',', b)}] transB={(tb ? 1 : 0)}");
        if (node.InputOrNull(2) is not null)
        {
            var c = In(node, 2);
            var bc = BroadcastShapes(node, [m, n], c);
            if (bc.Length != 2 || bc[0] != m || bc[1] != n)
                throw OnnxOpArguments.Invalid(node, $"C [{string.Join(',', c)}] does not broadcast to [{m},{n}]");
        }
        return [new([m, n], TypeOf(node, 0))];
    }

    /// <summary>numpy matmul shape: 1-D operands are promoted and the promoted dim removed again.</summary>
    private static int[] MatMul(Node node)
    {
        var a = In(node, 0);
        var b = In(node, 1);
        if (a.Length == 0 || b.Length == 0) throw OnnxOpArguments.Invalid(node, "operands must not be scalars");
        int[] a2 = a.Length == 1 ? [1, a[0]] : a;
        int[] b2 = b.Length == 1 ? [b[0], 1] : b;
        if (a2[^1] != b2[^2])
            throw OnnxOpArguments.Invalid(node, $"inner dims differ: [{string.Join(',', a)}] × [{string.Join(',', b)}]");
        var batch = BroadcastShapes(node, a2[..^2], b2[..^2]);
        var r = new List<int>(batch);
        if (a.Length != 1) r.Add(a2[^2]);
        if (b.Length != 1) r.Add(b2[^1]);
        return r.ToArray();
    }

    private static TensorType[] Concat(Node node)
    {
        if (!node.HasAttribute("axis")) throw OnnxOpArguments.Invalid(node, "attribute 'axis' is missing");
        var first = In(node, 0);
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), first.Length);
        var r = (int[])first.Clone();
        long total = 0;
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            var s = In(node, i);
            if (s.Length != first.Length) throw OnnxOpArguments.Invalid(node, $"input {i} has rank {s.Length}, input 0 rank {first.Length}");
            for (int d = 0; d < s.Length; d++)
                if (d != axis && s[d] != first[d])
                    throw OnnxOpArguments.Invalid(node, $"input {i} [{string.Join(',', s)}] differs from input 0 [{string.Join(',', first)}] outside axis {axis}");
            total += s[axis];
        }
        if (total > int.MaxValue) throw OnnxOpArguments.Invalid(node, "concatenated axis is too large");
        r[axis] = (int)total;
        return [new(r, TypeOf(node, 0))];
    }

    private static TensorType[] Split(Node node, int opset)
    {
        var x = In(node, 0);
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), x.Length);
        var sizes = OnnxOpArguments.SplitSizes(node, opset, x[axis], node.Outputs.Count);
        var r = new TensorType[sizes.Length];
        for (int i = 0; i < r.Length; i++)
        {
            var s = (int[])x.Clone();
            s[axis] = sizes[i];
            r[i] = new(s, TypeOf(node, 0));
        }
        return r;
    }

    private static TensorType[] Flatten(Node node)
    {
        var x = In(node, 0);
        long axis = node.GetInt("axis", 1);
        if (axis < -x.Length || axis > x.Length) throw OnnxOpArguments.Invalid(node, $"axis {axis} is out of range for rank {x.Length}");
        int a = (int)(axis < 0 ? axis + x.Length : axis);
        return [new([(int)Product(x, 0, a), (int)Product(x, a)], TypeOf(node, 0))];
    }

    private static int[] Reshape(Node node, int opset)
    {
        var x = In(node, 0);
        var spec = OnnxOpArguments.RequiredConstant(node, 1, opset, "shape").AsLongs();
        bool allowZero = opset >= 14 && node.GetInt("allowzero", 0) != 0;
        var r = new int[spec.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < spec.Length; i++)
        {
            long d = spec[i];
            if (d == -1)
            {
                if (inferred >= 0) throw OnnxOpArguments.Invalid(node, $"shape [{string.Join(',', spec)}] has more than one -1");
                inferred = i;
                continue;
            }
            if (d == 0 && !allowZero)
            {
                if (i >= x.Length) throw OnnxOpArguments.Invalid(node, $"shape [{string.Join(',', spec)}] copies dim {i} that the input [{string.Join(',', x)}] does not have");
                d = x[i];
            }
            if (d < 0 || d > int.MaxValue) throw OnnxOpArguments.Invalid(node, $"shape [{string.Join(',', spec)}] has an invalid dim");
            r[i] = (int)d;
            known *= d;
        }
        long count = Product(x);
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0)
                throw OnnxOpArguments.Invalid(node, $"cannot reshape [{string.Join(',', x)}] to [{string.Join(',', spec)}]");
            r[inferred] = (int)(count / known);
        }
        else if (known != count)
            throw OnnxOpArguments.Invalid(node, $"cannot reshape [{string.Join(',', x)}] ({count} elements) to [{string.Join(',', r)}]");
        return r;
    }

    /// <summary>The resolved permutation of a Transpose (default: reversed axes).</summary>
    public static int[] Permutation(Node node, int rank)
    {
        var perm = node.GetInts("perm");
        if (perm is null) return Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank) throw OnnxOpArguments.Invalid(node, $"perm [{string.Join(',', perm)}] has {perm.Length} entries for rank {rank}");
        return OnnxOpArguments.Axes(node, perm, rank, "perm");
    }

    private static int[] Transpose(Node node, int[] x)
    {
        var perm = Permutation(node, x.Length);
        var r = new int[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = x[perm[i]];
        return r;
    }

    private static int[] Squeeze(Node node, int opset)
    {
        var x = In(node, 0);
        var raw = OnnxOpArguments.RawAxes(node, opset);
        var axes = raw is null
            ? Enumerable.Range(0, x.Length).Where(a => x[a] == 1).ToArray()
            : OnnxOpArguments.Axes(node, raw, x.Length);
        foreach (var a in axes)
            if (x[a] != 1) throw OnnxOpArguments.Invalid(node, $"cannot squeeze axis {a} of size {x[a]}");
        return Enumerable.Range(0, x.Length).Where(a => !axes.Contains(a)).Select(a => x[a]).ToArray();
    }

    private static int[] Unsqueeze(Node node, int opset)
    {
        var x = In(node, 0);
        var raw = OnnxOpArguments.RawAxes(node, opset) ?? throw OnnxOpArguments.Invalid(node, "axes are missing");
        int rank = x.Length + raw.Length;
        var axes = OnnxOpArguments.Axes(node, raw, rank);
        var r = new int[rank];
        int src = 0;
        for (int i = 0; i < rank; i++) r[i] = axes.Contains(i) ? 1 : x[src++];
        return r;
    }

    private static int[] Reduce(Node node, int opset)
    {
        var x = In(node, 0);
        var axes = OnnxOpArguments.ReduceAxes(node, opset, x.Length, out bool keep);
        if (axes.Length == 0) return x;
        var r = new List<int>();
        for (int i = 0; i < x.Length; i++)
        {
            if (!axes.Contains(i)) r.Add(x[i]);
            else if (keep) r.Add(1);
        }
        return r.ToArray();
    }

    private static TensorType[] Gather(Node node)
    {
        var data = In(node, 0);
        var indices = In(node, 1);
        if (data.Length == 0) throw OnnxOpArguments.Invalid(node, "data must not be a scalar");
        int axis = OnnxOpArguments.Axis(node, node.GetInt("axis", 0), data.Length);
        if (node.Input(1).Constant is { } idx)
            foreach (var i in idx.AsLongs())
                if (i < -data[axis] || i >= data[axis])
                    throw OnnxOpArguments.Invalid(node, $"index {i} is out of range for axis {axis} of size {data[axis]}");
        int[] r = [.. data[..axis], .. indices, .. data[(axis + 1)..]];
        return [new(r, TypeOf(node, 0))];
    }
}
