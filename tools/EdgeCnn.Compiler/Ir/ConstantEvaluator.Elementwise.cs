using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Ir;

public static partial class ConstantEvaluator
{
    private static bool IsBinary(string op) => op is "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Mod" or "Max" or "Min"
        or "Sum" or "Mean" or "PRelu" or "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual"
        or "And" or "Or" or "Xor";

    private static bool IsComparison(string op) => op is "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual";

    /// <summary>Wraps an integer result to the width of <paramref name="type"/>, as a fixed-width machine would.</summary>
    public static long Wrap(ElementType type, long v) => type switch
    {
        ElementType.Int8 => unchecked((sbyte)v),
        ElementType.UInt8 => unchecked((byte)v),
        ElementType.Int16 => unchecked((short)v),
        ElementType.UInt16 => unchecked((ushort)v),
        ElementType.Int32 => unchecked((int)v),
        ElementType.UInt32 => unchecked((uint)v),
        ElementType.Bool => v != 0 ? 1 : 0,
        _ => v,
    };

    /// <summary>Rounds a float to what <paramref name="type"/> can hold (values stay float32 in TensorData).</summary>
    private static float RoundTo(ElementType type, float v) => type switch
    {
        ElementType.Float16 => (float)(Half)v,
        ElementType.BFloat16 => RoundToBFloat16(v),
        _ => v,
    };

    private static float RoundToBFloat16(float v)
    {
        if (float.IsNaN(v)) return v;
        uint bits = BitConverter.SingleToUInt32Bits(v);
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>ONNX Cast: float → integer truncates toward zero (saturating, NaN → 0), integer → narrower integer wraps.</summary>
    public static TensorData Cast(TensorData x, ElementType to)
    {
        if (to.IsFloatingPoint())
        {
            var src = x.AsFloats();
            var f = new float[src.Length];
            for (int i = 0; i < f.Length; i++) f[i] = RoundTo(to, src[i]);
            return TensorData.FromFloats(x.Shape, f, to);
        }
        var l = new long[x.Count];
        if (x.Floats is { } fs)
        {
            for (int i = 0; i < l.Length; i++)
                l[i] = to == ElementType.Bool ? (fs[i] != 0 ? 1 : 0) : Wrap(to, float.IsNaN(fs[i]) ? 0 : (long)fs[i]);
        }
        else
        {
            var ls = x.Longs!;
            for (int i = 0; i < l.Length; i++) l[i] = Wrap(to, ls[i]);
        }
        return TensorData.FromLongs(x.Shape, l, to);
    }

    private static TensorData Unary(Node node, int opset, TensorData x, ElementType outType)
    {
        string op = node.OpType;
        if (op == "Not")
            return TensorData.FromLongs(x.Shape, Array.ConvertAll(x.AsLongs(), v => v != 0 ? 0L : 1L), ElementType.Bool);
        if (x.Floats is { } f)
        {
            float alpha = node.GetFloat("alpha", op switch { "LeakyRelu" => 0.01f, "HardSigmoid" => 0.2f, _ => 1f });
            float beta = node.GetFloat("beta", 0.5f);
            var (lo, hi) = op == "Clip" ? OnnxOpArguments.ClipBounds(node, opset) : (0f, 0f);
            Func<float, float> fn = op switch
            {
                "Relu" => v => v < 0 ? 0 : v,
                "LeakyRelu" => v => v < 0 ? alpha * v : v,
                "Sigmoid" => v => 1f / (1f + MathF.Exp(-v)),
                "Tanh" => MathF.Tanh,
                "HardSigmoid" => v => Math.Clamp(alpha * v + beta, 0f, 1f),
                "HardSwish" => v => v * Math.Clamp(v / 6f + 0.5f, 0f, 1f),
                "Sqrt" => MathF.Sqrt,
                "Exp" => MathF.Exp,
                "Log" => MathF.Log,
                "Abs" => MathF.Abs,
                "Neg" => v => -v,
                "Reciprocal" => v => 1f / v,
                "Floor" => MathF.Floor,
                "Ceil" => MathF.Ceiling,
                "Round" => v => MathF.Round(v, MidpointRounding.ToEven),
                "Sign" => v => float.IsNaN(v) ? v : MathF.Sign(v),
                "Elu" => v => v < 0 ? alpha * (MathF.Exp(v) - 1f) : v,
                "Softplus" => v => MathF.Log(MathF.Exp(v) + 1f),
                "Clip" => v => MathF.Min(MathF.Max(v, lo), hi),
                _ => throw OnnxOpArguments.Unsupported(node, opset, "not evaluable on floats"),
            };
            var r = new float[f.Length];
            for (int i = 0; i < r.Length; i++) r[i] = RoundTo(outType, fn(f[i]));
            return TensorData.FromFloats(x.Shape, r, outType);
        }

        var l = x.Longs!;
        long clipLo = long.MinValue, clipHi = long.MaxValue;
        if (op == "Clip")
        {
            // Integer Clip reads its bounds as integers (opset 12+); attribute bounds are floats.
            clipLo = node.InputOrNull(1)?.Constant is { } a ? OnnxOpArguments.ScalarLong(node, a, "min") : clipLo;
            clipHi = node.InputOrNull(2)?.Constant is { } b ? OnnxOpArguments.ScalarLong(node, b, "max") : clipHi;
        }
        Func<long, long> ifn = op switch
        {
            "Relu" => v => Math.Max(v, 0),
            "Abs" => Math.Abs,
            "Neg" => v => unchecked(-v),
            "Sign" => v => Math.Sign(v),
            "Floor" or "Ceil" or "Round" => v => v,
            "Clip" => v => Math.Min(Math.Max(v, clipLo), clipHi),
            _ => throw OnnxOpArguments.Unsupported(node, opset, $"not evaluable on {x.Type.OnnxName()}"),
        };
        var q = new long[l.Length];
        for (int i = 0; i < q.Length; i++) q[i] = Wrap(outType, ifn(l[i]));
        return TensorData.FromLongs(x.Shape, q, outType);
    }

    /// <summary>Folds the inputs left to right with broadcasting (Sum/Max/Min/Mean take any number).</summary>
    private static TensorData Variadic(Node node, TensorType t)
    {
        var acc = Data(node, 0);
        if (node.Inputs.Count == 1 && node.OpType is "Sum" or "Max" or "Min" or "Mean") return acc;
        for (int i = 1; i < node.Inputs.Count; i++)
            acc = Binary(node, node.OpType == "Mean" ? "Add" : node.OpType, acc, Data(node, i));
        if (node.OpType == "Mean")
        {
            var f = acc.AsFloats();
            var r = new float[f.Length];
            for (int i = 0; i < r.Length; i++) r[i] = f[i] / node.Inputs.Count;
            acc = TensorData.FromFloats(acc.Shape, r, acc.Type.IsFloatingPoint() ? acc.Type : ElementType.Float32);
        }
        return acc;
    }

    private static TensorData Binary(Node node, string op, TensorData a, TensorData b)
    {
        var shape = ShapeInference.BroadcastShapes(node, a.Shape, b.Shape);
        var ma = BroadcastMap(a.Shape, shape);
        var mb = BroadcastMap(b.Shape, shape);
        int n = ma.Length;
        bool compare = IsComparison(op);
        // Pow keeps the base's type (its exponent may differ); otherwise a float operand makes the math float.
        bool floating = op == "Pow" ? a.Floats is not null : a.Floats is not null || b.Floats is not null;
        var resultType = op == "Pow" || a.Type.IsFloatingPoint() == floating ? a.Type : b.Type;

        if (op is "And" or "Or" or "Xor")
        {
            var la = a.AsLongs();
            var lb = b.AsLongs();
            var r = new long[n];
            for (int i = 0; i < n; i++)
            {
                bool x = la[ma[i]] != 0, y = lb[mb[i]] != 0;
                r[i] = (op == "And" ? x && y : op == "Or" ? x || y : x ^ y) ? 1 : 0;
            }
            return TensorData.FromLongs(shape, r, ElementType.Bool);
        }

        if (floating)
        {
            var fa = a.AsFloats();
            var fb = b.AsFloats();
            if (compare)
            {
                var r = new long[n];
                for (int i = 0; i < n; i++) r[i] = Compare(op, fa[ma[i]].CompareTo(fb[mb[i]]), float.IsNaN(fa[ma[i]]) || float.IsNaN(fb[mb[i]])) ? 1 : 0;
                return TensorData.FromLongs(shape, r, ElementType.Bool);
            }
            bool fmod = node.GetInt("fmod", 0) != 0;
            var f = new float[n];
            for (int i = 0; i < n; i++)
            {
                float x = fa[ma[i]], y = fb[mb[i]];
                f[i] = RoundTo(resultType, op switch
                {
                    "Add" or "Sum" => x + y,
                    "Sub" => x - y,
                    "Mul" => x * y,
                    "Div" => x / y,
                    "Pow" => MathF.Pow(x, y),
                    "Max" => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : MathF.Max(x, y),
                    "Min" => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : MathF.Min(x, y),
                    "PRelu" => x < 0 ? x * y : x,
                    "Mod" => fmod ? x % y : FloorMod(x, y),
                    _ => throw OnnxOpArguments.Invalid(node, $"{op} is not evaluable on floats"),
                });
            }
            return TensorData.FromFloats(shape, f, resultType.IsFloatingPoint() ? resultType : ElementType.Float32);
        }

        var ia = a.Longs!;
        var ib = b.AsLongs();
        var floatExponent = op == "Pow" ? b.Floats : null;
        if (compare)
        {
            var r = new long[n];
            for (int i = 0; i < n; i++) r[i] = Compare(op, ia[ma[i]].CompareTo(ib[mb[i]]), false) ? 1 : 0;
            return TensorData.FromLongs(shape, r, ElementType.Bool);
        }
        var q = new long[n];
        bool cmod = node.GetInt("fmod", 0) != 0;
        for (int i = 0; i < n; i++)
        {
            long x = ia[ma[i]], y = ib[mb[i]];
            if (y == 0 && op is "Div" or "Mod") throw OnnxOpArguments.Invalid(node, "integer division by zero");
            q[i] = Wrap(resultType, unchecked(op switch
            {
                "Add" or "Sum" => x + y,
                "Sub" => x - y,
                "Mul" => x * y,
                "Div" => x == long.MinValue && y == -1 ? x : x / y,
                "Pow" => floatExponent is null ? IntPow(x, y) : (long)Math.Pow(x, floatExponent[mb[i]]),
                "Max" => Math.Max(x, y),
                "Min" => Math.Min(x, y),
                "Mod" => y == -1 ? 0 : cmod ? x % y : FloorMod(x, y),
                _ => throw OnnxOpArguments.Invalid(node, $"{op} is not evaluable on {a.Type.OnnxName()}"),
            }));
        }
        return TensorData.FromLongs(shape, q, resultType);
    }

    private static bool Compare(string op, int order, bool unordered) => !unordered && op switch
    {
        "Equal" => order == 0,
        "Less" => order < 0,
        "Greater" => order > 0,
        "LessOrEqual" => order <= 0,
        _ => order >= 0,
    };

    private static float FloorMod(float x, float y)
    {
        float r = x % y;
        return r != 0 && (r < 0) != (y < 0) ? r + y : r;
    }

    private static long FloorMod(long x, long y)
    {
        long r = x % y;
        return r != 0 && (r < 0) != (y < 0) ? r + y : r;
    }

    private static long IntPow(long x, long y)
    {
        if (y < 0) return x == 1 ? 1 : x == -1 ? (y % 2 == 0 ? 1 : -1) : 0;
        long r = 1;
        while (y > 0)
        {
            if ((y & 1) != 0) r = unchecked(r * x);
            x = unchecked(x * x);
            y >>= 1;
        }
        return r;
    }

    private static TensorData Where(Node node, TensorType t)
    {
        var c = Data(node, 0);
        var x = Data(node, 1);
        var y = Data(node, 2);
        var mc = BroadcastMap(c.Shape, t.Shape);
        var mx = BroadcastMap(x.Shape, t.Shape);
        var my = BroadcastMap(y.Shape, t.Shape);
        var cond = c.AsLongs();
        if (x.Floats is not null || y.Floats is not null)
        {
            var fx = x.AsFloats();
            var fy = y.AsFloats();
            var r = new float[mc.Length];
            for (int i = 0; i < r.Length; i++) r[i] = cond[mc[i]] != 0 ? fx[mx[i]] : fy[my[i]];
            return TensorData.FromFloats(t.Shape, r, x.Type.IsFloatingPoint() ? x.Type : y.Type);
        }
        var lx = x.Longs!;
        var ly = y.Longs!;
        var q = new long[mc.Length];
        for (int i = 0; i < q.Length; i++) q[i] = cond[mc[i]] != 0 ? lx[mx[i]] : ly[my[i]];
        return TensorData.FromLongs(t.Shape, q, x.Type);
    }

    private static TensorData Reduce(Node node, int opset, TensorType t)
    {
        var x = Data(node, 0);
        var axes = OnnxOpArguments.ReduceAxes(node, opset, x.Rank, out _);
        if (axes.Length == 0) return x;
        // Each input element lands in the output cell with its reduced coordinates dropped.
        var keptShape = new int[x.Rank];
        for (int d = 0; d < x.Rank; d++) keptShape[d] = axes.Contains(d) ? 1 : x.Shape[d];
        var keptStrides = Strides(keptShape);
        var strides = new long[x.Rank];
        for (int d = 0; d < x.Rank; d++) strides[d] = axes.Contains(d) ? 0 : keptStrides[d];
        var target = StridedMap(x.Shape, strides, 0);
        long outCount = ShapeInference.Product(t.Shape);
        long groupSize = x.Count / Math.Max(1, outCount);
        string op = node.OpType;
        if (x.Floats is { } f)
        {
            var acc = new double[outCount];
            Array.Fill(acc, op switch { "ReduceProd" => 1.0, "ReduceMin" => double.PositiveInfinity, "ReduceMax" => double.NegativeInfinity, _ => 0.0 });
            for (int i = 0; i < f.Length; i++)
            {
                ref double a = ref acc[target[i]];
                a = op switch { "ReduceProd" => a * f[i], "ReduceMin" => Math.Min(a, f[i]), "ReduceMax" => Math.Max(a, f[i]), _ => a + f[i] };
            }
            var r = new float[outCount];
            for (int i = 0; i < r.Length; i++) r[i] = RoundTo(x.Type, (float)(op == "ReduceMean" ? acc[i] / groupSize : acc[i]));
            return TensorData.FromFloats(t.Shape, r, x.Type);
        }
        var l = x.Longs!;
        var q = new long[outCount];
        Array.Fill(q, op switch { "ReduceProd" => 1L, "ReduceMin" => long.MaxValue, "ReduceMax" => long.MinValue, _ => 0L });
        for (int i = 0; i < l.Length; i++)
        {
            ref long a = ref q[target[i]];
            a = unchecked(op switch { "ReduceProd" => a * l[i], "ReduceMin" => Math.Min(a, l[i]), "ReduceMax" => Math.Max(a, l[i]), _ => a + l[i] });
        }
        for (int i = 0; i < q.Length; i++) q[i] = Wrap(x.Type, op == "ReduceMean" ? q[i] / Math.Max(1, groupSize) : q[i]);
        return TensorData.FromLongs(t.Shape, q, x.Type);
    }
}
