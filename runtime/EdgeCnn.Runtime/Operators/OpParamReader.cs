using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Reads single-value params so that a missing or malformed one is reported with the op's name.</summary>
internal static class OpParamReader
{
    public static int Int(OpDesc op, ParamKey key, int? fallback = null)
    {
        if (!op.Params.Has(key))
            return fallback ?? throw Invalid(op, $"parameter {key} is missing");
        var values = op.Params.GetInts(key);
        return values.Length == 1 ? values[0] : throw Invalid(op, $"parameter {key} must hold one value, holds {values.Length}");
    }

    public static float Float(OpDesc op, ParamKey key, float fallback)
    {
        if (!op.Params.Has(key)) return fallback;
        var values = op.Params.GetFloats(key);
        return values.Length == 1 ? values[0] : throw Invalid(op, $"parameter {key} must hold one value, holds {values.Length}");
    }

    private static ModelFormatException Invalid(OpDesc op, string what) => new($"op '{op.Name}' ({op.Code}): {what}");
}
