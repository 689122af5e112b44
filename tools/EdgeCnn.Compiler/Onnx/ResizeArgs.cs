using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// Resize and Upsample resolved to full rank. <see cref="Scales"/> are the factors the coordinate
/// transform uses (given scales, or output/input when sizes were given); <see cref="OutputShape"/>
/// is the output shape. Resize-10 and Upsample have no coordinate/nearest modes: they behave as
/// "asymmetric" + "floor", which is what this reports for them.
/// </summary>
public sealed record ResizeArgs(
    string Mode, string CoordinateMode, string NearestMode, float CubicCoeffA, bool ExcludeOutside,
    float ExtrapolationValue, bool Antialias, float[] Scales, int[] OutputShape)
{
    public static ResizeArgs Read(Node node, int opset, int[] inputShape)
    {
        int rank = inputShape.Length;
        bool legacy = node.OpType == "Upsample" || opset < 11;
        string mode = node.GetString("mode", "nearest");
        if (mode == "bilinear") mode = "linear";
        string coordinate = legacy ? "asymmetric" : node.GetString("coordinate_transformation_mode", "half_pixel");
        string nearest = legacy ? "floor" : node.GetString("nearest_mode", "round_prefer_floor");

        TensorData? scales, sizes;
        if (legacy)
        {
            scales = node.GetFloats("scales") is { } attr
                ? TensorData.FromFloats([attr.Length], attr)
                : OnnxOpArguments.RequiredConstant(node, 1, opset, "scales");
            sizes = null;
        }
        else
        {
            scales = OnnxOpArguments.OptionalConstant(node, 2, opset, "scales");
            sizes = OnnxOpArguments.OptionalConstant(node, 3, opset, "sizes");
        }
        if (scales is { Count: 0 }) scales = null;
        if (sizes is { Count: 0 }) sizes = null;
        if (scales is null == (sizes is null))
            throw OnnxOpArguments.Invalid(node, "exactly one of scales and sizes must be given");

        var axesAttr = opset >= 18 ? node.GetInts("axes") : null;
        var axes = axesAttr is null ? Enumerable.Range(0, rank).ToArray() : OnnxOpArguments.Axes(node, axesAttr, rank);
        var fullScales = Enumerable.Repeat(1f, rank).ToArray();
        var output = (int[])inputShape.Clone();

        if (scales is not null)
        {
            var s = scales.AsFloats();
            if (s.Length != axes.Length) throw OnnxOpArguments.Invalid(node, $"scales has {s.Length} entries for {axes.Length} axes");
            for (int i = 0; i < axes.Length; i++)
            {
                int a = axes[i];
                if (!(s[i] > 0) || float.IsInfinity(s[i])) throw OnnxOpArguments.Invalid(node, $"scale {s[i]} for axis {a} must be positive");
                double size = Math.Floor((double)inputShape[a] * s[i]);
                output[a] = ToSize(node, size, a);
                fullScales[a] = s[i];
            }
        }
        else
        {
            var z = sizes!.AsLongs();
            if (z.Length != axes.Length) throw OnnxOpArguments.Invalid(node, $"sizes has {z.Length} entries for {axes.Length} axes");
            string policy = opset >= 18 ? node.GetString("keep_aspect_ratio_policy", "stretch") : "stretch";
            if (policy is not ("stretch" or "not_larger" or "not_smaller"))
                throw OnnxOpArguments.Invalid(node, $"keep_aspect_ratio_policy '{policy}' is not an ONNX value");
            if (policy == "stretch")
            {
                for (int i = 0; i < axes.Length; i++)
                {
                    int a = axes[i];
                    output[a] = ToSize(node, z[i], a);
                    fullScales[a] = inputShape[a] == 0 ? 1f : (float)output[a] / inputShape[a];
                }
            }
            else
            {
                double common = policy == "not_larger" ? double.MaxValue : 0;
                for (int i = 0; i < axes.Length; i++)
                {
                    double r = (double)(float)z[i] / inputShape[axes[i]];
                    common = policy == "not_larger" ? Math.Min(common, r) : Math.Max(common, r);
                }
                for (int i = 0; i < axes.Length; i++)
                {
                    int a = axes[i];
                    output[a] = ToSize(node, Math.Round(common * inputShape[a], MidpointRounding.ToEven), a);
                    fullScales[a] = (float)common;
                }
            }
        }

        return new ResizeArgs(mode, coordinate, nearest,
            node.GetFloat("cubic_coeff_a", -0.75f), node.GetInt("exclude_outside", 0) != 0,
            node.GetFloat("extrapolation_value", 0f), node.GetInt("antialias", 0) != 0, fullScales, output);
    }

    private static int ToSize(Node node, double size, int axis) =>
        size is >= 1 and <= int.MaxValue ? (int)size : throw OnnxOpArguments.Invalid(node, $"output size {size} on axis {axis} is not positive");
}
