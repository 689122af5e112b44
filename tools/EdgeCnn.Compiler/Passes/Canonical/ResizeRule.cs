using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Canonical;

/// <summary>
/// Resize (opsets 10–21) and Upsample → Resize with one scale per axis and resolved modes. Upsample and
/// Resize-10 behave as asymmetric coordinates with floor rounding for nearest (the ONNX 10→11 adapter's rule).
/// Scales come from the scales input when given, else from sizes/input (with keep_aspect_ratio_policy).
/// </summary>
internal static class ResizeRule
{
    public static bool TryRewrite(Graph graph, Node node)
    {
        if (node.OpType is not ("Resize" or "Upsample")) return false;
        int opset = graph.Opset;
        var x = node.Input(0);
        var inShape = Rewrite.InputShape(node);
        int rank = inShape.Length;
        string mode = node.GetString("mode", "nearest");
        var resizeMode = mode switch
        {
            "nearest" => ResizeMode.Nearest,
            "linear" or "bilinear" => ResizeMode.Linear,
            _ => throw Rewrite.Unsupported(graph, node, $"mode '{mode}'"),
        };
        bool legacy = node.OpType == "Upsample" || opset < 11;
        ResizeCoordinateMode coordinates;
        ResizeNearestMode nearest;
        float[] scales;
        bool excludeOutside = false;
        float extrapolation = 0f;
        if (legacy)
        {
            coordinates = ResizeCoordinateMode.Asymmetric;
            nearest = ResizeNearestMode.Floor;
            scales = node.GetFloats("scales") is { Length: > 0 } attr
                ? attr
                : OnnxOpArguments.RequiredConstant(node, 1, opset, "scales").AsFloats();
            if (scales.Length != rank) throw Rewrite.Invalid(node, $"{scales.Length} scales for rank {rank}");
        }
        else
        {
            coordinates = CoordinateMode(graph, node);
            nearest = NearestMode(graph, node);
            excludeOutside = node.GetInt("exclude_outside", 0) != 0;
            extrapolation = node.GetFloat("extrapolation_value", 0f);
            scales = ModernScales(graph, node, inShape);
            if (node.GetInt("antialias", 0) != 0 && resizeMode == ResizeMode.Linear && scales.Any(s => s < 1f))
                throw Rewrite.Unsupported(graph, node, "antialias=1 when downscaling");
        }
        var outShape = Rewrite.OutputShape(node);
        for (int a = 0; a < rank; a++)
            if (scales[a] <= 0f) throw Rewrite.Invalid(node, $"scale {scales[a]} for axis {a} is not positive");
        if (outShape.Length != rank) throw Rewrite.Invalid(node, "the output rank differs from the input rank");
        Rewrite.Become(node, OpCode.Resize, x)
            .SetParam(ParamKey.Mode, (int)resizeMode)
            .SetParam(ParamKey.CoordinateMode, (int)coordinates)
            .SetParam(ParamKey.NearestMode, (int)nearest)
            .SetParam(ParamKey.Scales, scales)
            .SetParam(ParamKey.ExcludeOutside, excludeOutside ? 1 : 0)
            .SetParam(ParamKey.ExtrapolationValue, extrapolation);
        return true;
    }

    private static ResizeCoordinateMode CoordinateMode(Graph graph, Node node)
    {
        var text = node.GetString("coordinate_transformation_mode", "half_pixel");
        return text switch
        {
            "half_pixel" => ResizeCoordinateMode.HalfPixel,
            "align_corners" => ResizeCoordinateMode.AlignCorners,
            "asymmetric" => ResizeCoordinateMode.Asymmetric,
            "pytorch_half_pixel" => ResizeCoordinateMode.PytorchHalfPixel,
            "tf_half_pixel_for_nn" => ResizeCoordinateMode.TfHalfPixelForNn,
            _ => throw Rewrite.Unsupported(graph, node, $"coordinate_transformation_mode '{text}'"),
        };
    }

    private static ResizeNearestMode NearestMode(Graph graph, Node node)
    {
        var text = node.GetString("nearest_mode", "round_prefer_floor");
        return text switch
        {
            "round_prefer_floor" => ResizeNearestMode.RoundPreferFloor,
            "round_prefer_ceil" => ResizeNearestMode.RoundPreferCeil,
            "floor" => ResizeNearestMode.Floor,
            "ceil" => ResizeNearestMode.Ceil,
            _ => throw Rewrite.Unsupported(graph, node, $"nearest_mode '{text}'"),
        };
    }

    /// <summary>Opset 11+: scales input (2) if non-empty, else sizes input (3); opset 18 adds axes and
    /// keep_aspect_ratio_policy.</summary>
    private static float[] ModernScales(Graph graph, Node node, int[] inShape)
    {
        int opset = graph.Opset;
        int rank = inShape.Length;
        var axes = node.GetInts("axes") is { Length: > 0 } rawAxes
            ? OnnxOpArguments.Axes(node, rawAxes, rank)
            : Enumerable.Range(0, rank).ToArray();
        var result = Enumerable.Repeat(1f, rank).ToArray();
        var scales = OnnxOpArguments.OptionalConstant(node, 2, opset, "scales");
        if (scales is { Count: > 0 })
        {
            var s = scales.AsFloats();
            if (s.Length != axes.Length) throw Rewrite.Invalid(node, $"{s.Length} scales for {axes.Length} axes");
            for (int i = 0; i < axes.Length; i++) result[axes[i]] = s[i];
            return result;
        }
        var sizesData = OnnxOpArguments.OptionalConstant(node, 3, opset, "sizes");
        if (sizesData is not { Count: > 0 }) throw Rewrite.Invalid(node, "neither scales nor sizes is given");
        var sizes = sizesData.AsLongs();
        if (sizes.Length != axes.Length) throw Rewrite.Invalid(node, $"{sizes.Length} sizes for {axes.Length} axes");
        var policy = node.GetString("keep_aspect_ratio_policy", "stretch");
        if (policy == "stretch")
        {
            for (int i = 0; i < axes.Length; i++) result[axes[i]] = (float)sizes[i] / inShape[axes[i]];
            return result;
        }
        float scale = policy switch
        {
            "not_larger" => axes.Select((a, i) => (float)sizes[i] / inShape[a]).Min(),
            "not_smaller" => axes.Select((a, i) => (float)sizes[i] / inShape[a]).Max(),
            _ => throw Rewrite.Unsupported(graph, node, $"keep_aspect_ratio_policy '{policy}'"),
        };
        foreach (var a in axes) result[a] = scale;
        return result;
    }
}
