using System.Globalization;
using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Reads the arguments of ONNX ops whose conventions changed across opsets 9–21 (attribute in older
/// opsets, input in newer ones) into one resolved form. The importer leaves nodes as the file wrote
/// them; shape inference, the constant evaluator and lowering all read them through here, so every
/// opset rule lives in one place. Where the file follows the other opset's convention (some
/// exporters do) the other place is read as a fallback.
/// </summary>
public static class OnnxOpArguments
{
    public static OnnxImportException Invalid(Node node, string message) =>
        new($"node '{node.Name}' ({node.OpType}): {message}");

    public static UnsupportedOperatorException Unsupported(Node node, int opset, string detail) =>
        new(node.OpType, node.Name, opset, detail);

    /// <summary>The constant data of optional input <paramref name="index"/>, or null when the input is absent.</summary>
    public static TensorData? OptionalConstant(Node node, int index, int opset, string what)
    {
        var v = node.InputOrNull(index);
        if (v is null) return null;
        return v.Constant ?? throw Unsupported(node, opset, $"input {index} ({what}, '{v.Name}') must be a compile-time constant");
    }

    public static TensorData RequiredConstant(Node node, int index, int opset, string what) =>
        OptionalConstant(node, index, opset, what) ?? throw Invalid(node, $"input {index} ({what}) is missing");

    /// <summary>The static shape of input <paramref name="index"/>.</summary>
    public static int[] InputShape(Node node, int index) =>
        node.Input(index).Shape ?? throw Invalid(node, $"input {index} ('{node.Input(index).Name}') has no known shape");

    /// <summary>Resolves a possibly negative axis against <paramref name="rank"/>.</summary>
    public static int Axis(Node node, long axis, int rank, string what = "axis")
    {
        if (axis < -rank || axis >= rank)
            throw Invalid(node, string.Create(CultureInfo.InvariantCulture, $"{what} {axis} is out of range for rank {rank}"));
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Resolves a list of axes; duplicates are an error.</summary>
    public static int[] Axes(Node node, long[] axes, int rank, string what = "axes")
    {
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            result[i] = Axis(node, axes[i], rank, what);
            for (int j = 0; j < i; j++)
                if (result[j] == result[i]) throw Invalid(node, $"{what} [{string.Join(',', axes)}] repeats axis {result[i]}");
        }
        return result;
    }

    private static bool IsReduce(string op) => op.StartsWith("Reduce", StringComparison.Ordinal);

    /// <summary>Whether the op takes <c>axes</c> as input 1 at this opset (else as an attribute).</summary>
    public static bool AxesIsInput(string opType, int opset) => opType switch
    {
        "Squeeze" or "Unsqueeze" or "ReduceSum" => opset >= 13,
        _ => IsReduce(opType) && opset >= 18,
    };

    /// <summary>The <c>axes</c> of Squeeze/Unsqueeze/Reduce*, unresolved, or null when absent.
    /// An empty axes input counts as absent.</summary>
    public static long[]? RawAxes(Node node, int opset)
    {
        bool asInput = AxesIsInput(node.OpType, opset);
        long[]? fromInput = OptionalConstant(node, 1, opset, "axes")?.AsLongs();
        long[]? fromAttr = node.GetInts("axes");
        var axes = asInput ? fromInput ?? fromAttr : fromAttr ?? fromInput;
        return axes is { Length: > 0 } ? axes : null;
    }

    /// <summary>Reduce* axes resolved against <paramref name="rank"/>, sorted. Empty means "no reduction"
    /// (noop_with_empty_axes with no axes).</summary>
    public static int[] ReduceAxes(Node node, int opset, int rank, out bool keepDims)
    {
        keepDims = node.GetInt("keepdims", 1) != 0;
        var raw = RawAxes(node, opset);
        if (raw is null)
        {
            if (node.GetInt("noop_with_empty_axes", 0) != 0) return [];
            return Enumerable.Range(0, rank).ToArray();
        }
        var axes = Axes(node, raw, rank);
        Array.Sort(axes);
        return axes;
    }

    /// <summary>The softmax axis, resolved. Before opset 13 Softmax/LogSoftmax flatten the input to 2-D at
    /// this axis and normalize over everything from it on (see <see cref="SoftmaxCoercesTo2D"/>).</summary>
    public static int SoftmaxAxis(Node node, int opset, int rank) =>
        Axis(node, node.GetInt("axis", opset < 13 ? 1 : -1), Math.Max(rank, 1));

    public static bool SoftmaxCoercesTo2D(int opset) => opset < 13;

    /// <summary>Clip bounds: attributes before opset 11, optional inputs 1 and 2 from 11 on. Absent bounds are ±∞.</summary>
    public static (float Min, float Max) ClipBounds(Node node, int opset)
    {
        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (node.HasAttribute("min")) min = node.GetFloat("min", min);
        if (node.HasAttribute("max")) max = node.GetFloat("max", max);
        var lo = OptionalConstant(node, 1, opset, "min");
        var hi = OptionalConstant(node, 2, opset, "max");
        if (lo is not null) min = ScalarFloat(node, lo, "min");
        if (hi is not null) max = ScalarFloat(node, hi, "max");
        return (min, max);
    }

    /// <summary>Split sizes along the (resolved) axis for <paramref name="outputs"/> outputs: the split attribute
    /// (opset &lt; 13) or input (13+), else num_outputs (18+, last chunk smaller), else equal parts.</summary>
    public static int[] SplitSizes(Node node, int opset, int dim, int outputs)
    {
        var fromInput = OptionalConstant(node, 1, opset, "split")?.AsLongs();
        var split = opset >= 13 ? fromInput ?? node.GetInts("split") : node.GetInts("split") ?? fromInput;
        if (split is { Length: > 0 })
        {
            if (split.Length != outputs)
                throw Invalid(node, $"split has {split.Length} entries for {outputs} outputs");
            long sum = 0;
            foreach (var s in split)
            {
                if (s < 0) throw Invalid(node, $"split [{string.Join(',', split)}] has a negative size");
                sum += s;
            }
            if (sum != dim) throw Invalid(node, $"split [{string.Join(',', split)}] sums to {sum}, the axis has {dim}");
            return Array.ConvertAll(split, s => (int)s);
        }
        if (outputs < 1) throw Invalid(node, "has no outputs");
        if (node.HasAttribute("num_outputs"))
        {
            long n = node.GetInt("num_outputs", outputs);
            if (n != outputs) throw Invalid(node, $"num_outputs is {n} but the node has {outputs} outputs");
            int chunk = (dim + outputs - 1) / outputs;
            var sizes = new int[outputs];
            int left = dim;
            for (int i = 0; i < outputs; i++)
            {
                sizes[i] = Math.Min(chunk, left);
                left -= sizes[i];
            }
            return sizes;
        }
        if (dim % outputs != 0) throw Invalid(node, $"cannot split an axis of {dim} into {outputs} equal parts");
        return Enumerable.Repeat(dim / outputs, outputs).ToArray();
    }

    /// <summary>A slice resolved per input axis: element k of axis a is read from Starts[a] + k·Steps[a],
    /// k &lt; OutputShape[a]. Ends are clamped (-1 is possible for negative steps).</summary>
    public sealed record SliceArgs(int[] Starts, int[] Ends, int[] Steps, int[] OutputShape);

    /// <summary>Slice starts/ends/axes: attributes before opset 10, inputs 1–4 (with steps) from 10 on.</summary>
    public static SliceArgs Slice(Node node, int opset, int[] inputShape)
    {
        long[] starts, ends;
        long[]? axes, steps;
        if (opset < 10 || (node.HasAttribute("starts") && node.InputOrNull(1) is null))
        {
            starts = node.GetInts("starts") ?? throw Invalid(node, "attribute 'starts' is missing");
            ends = node.GetInts("ends") ?? throw Invalid(node, "attribute 'ends' is missing");
            axes = node.GetInts("axes");
            steps = null;
        }
        else
        {
            starts = RequiredConstant(node, 1, opset, "starts").AsLongs();
            ends = RequiredConstant(node, 2, opset, "ends").AsLongs();
            axes = OptionalConstant(node, 3, opset, "axes")?.AsLongs();
            steps = OptionalConstant(node, 4, opset, "steps")?.AsLongs();
        }
        int rank = inputShape.Length;
        if (ends.Length != starts.Length) throw Invalid(node, $"starts has {starts.Length} entries, ends {ends.Length}");
        if (axes is not null && axes.Length != starts.Length) throw Invalid(node, $"axes has {axes.Length} entries, starts {starts.Length}");
        if (steps is not null && steps.Length != starts.Length) throw Invalid(node, $"steps has {steps.Length} entries, starts {starts.Length}");
        var resolvedAxes = axes is null ? Enumerable.Range(0, starts.Length).ToArray() : Axes(node, axes, rank);
        if (axes is null && starts.Length > rank) throw Invalid(node, $"{starts.Length} starts for rank {rank}");

        var outStarts = new int[rank];
        var outEnds = (int[])inputShape.Clone();
        var outSteps = Enumerable.Repeat(1, rank).ToArray();
        var shape = (int[])inputShape.Clone();
        for (int i = 0; i < resolvedAxes.Length; i++)
        {
            int a = resolvedAxes[i];
            long d = inputShape[a];
            long step = steps?[i] ?? 1;
            if (step == 0) throw Invalid(node, $"step for axis {a} is 0");
            long s = starts[i], e = ends[i];
            if (s < 0) s += d;
            if (e < 0) e += d;
            if (step > 0)
            {
                s = Math.Clamp(s, 0, d);
                e = Math.Clamp(e, 0, d);
            }
            else
            {
                s = Math.Clamp(s, 0, d - 1);
                e = Math.Clamp(e, -1, d - 1);
            }
            long count = step > 0 ? (e - s + step - 1) / step : (s - e + (-step) - 1) / (-step);
            outStarts[a] = (int)s;
            outEnds[a] = (int)e;
            outSteps[a] = (int)Math.Clamp(step, int.MinValue + 1, int.MaxValue);
            shape[a] = (int)Math.Max(0, count);
        }
        return new SliceArgs(outStarts, outEnds, outSteps, shape);
    }

    /// <summary>Pad arguments resolved to full rank: Pads = [begin_0..begin_{r-1}, end_0..end_{r-1}]
    /// (negative = crop). Mode is "constant", "reflect", "edge" or "wrap" (opset 19).</summary>
    public sealed record PadArgs(string Mode, long[] Pads, float Value, int[] OutputShape);

    /// <summary>Pad: attributes pads/value before opset 11; inputs pads, constant_value (11+) and axes (18+).</summary>
    public static PadArgs Pad(Node node, int opset, int[] inputShape)
    {
        int rank = inputShape.Length;
        string mode = node.GetString("mode", "constant");
        long[] pads;
        float value;
        int[] axes;
        if (opset < 11 || (node.HasAttribute("pads") && node.InputOrNull(1) is null))
        {
            pads = node.GetInts("pads") ?? throw Invalid(node, "attribute 'pads' is missing");
            value = node.GetFloat("value", 0f);
            axes = Enumerable.Range(0, rank).ToArray();
        }
        else
        {
            pads = RequiredConstant(node, 1, opset, "pads").AsLongs();
            var v = OptionalConstant(node, 2, opset, "constant_value");
            value = v is null || v.Count == 0 ? 0f : ScalarFloat(node, v, "constant_value");
            var rawAxes = OptionalConstant(node, 3, opset, "axes")?.AsLongs();
            axes = rawAxes is null ? Enumerable.Range(0, rank).ToArray() : Axes(node, rawAxes, rank);
        }
        if (pads.Length != 2 * axes.Length)
            throw Invalid(node, $"pads has {pads.Length} entries, {2 * axes.Length} expected for {axes.Length} axes");
        var full = new long[2 * rank];
        for (int i = 0; i < axes.Length; i++)
        {
            full[axes[i]] = pads[i];
            full[rank + axes[i]] = pads[axes.Length + i];
        }
        var shape = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            long d = inputShape[a] + full[a] + full[rank + a];
            if (d < 0 || d > int.MaxValue) throw Invalid(node, $"padding axis {a} of size {inputShape[a]} by [{full[a]},{full[rank + a]}] gives {d}");
            shape[a] = (int)d;
        }
        return new PadArgs(mode, full, value, shape);
    }

    /// <summary>A scalar (or one-element tensor) as float.</summary>
    public static float ScalarFloat(Node node, TensorData t, string what) =>
        t.Count == 1 ? t.AsFloats()[0] : throw Invalid(node, $"{what} must be a scalar, got {t}");

    /// <summary>A scalar (or one-element tensor) as long.</summary>
    public static long ScalarLong(Node node, TensorData t, string what) =>
        t.Count == 1 ? t.AsLongs()[0] : throw Invalid(node, $"{what} must be a scalar, got {t}");
}
