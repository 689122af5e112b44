using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Reads an op's params while preparing it; a missing or malformed param becomes a
/// <see cref="ModelFormatException"/> that names the op, not just the key.</summary>
internal sealed class ParamReader
{
    private readonly OpDesc _desc;

    public ParamReader(OpDesc desc) => _desc = desc;

    public int Int(ParamKey key) => Single(key, Ints(key));

    public int Int(ParamKey key, int fallback) => _desc.Params.Has(key) ? Int(key) : fallback;

    /// <summary>The Axis param, which must name one of the <paramref name="rank"/> axes of the op's
    /// <paramref name="tensor"/> ("input" or "output").</summary>
    public int Axis(int rank, string tensor = "input")
    {
        int axis = Int(ParamKey.Axis);
        return (uint)axis < (uint)rank ? axis : throw Error($"Axis {axis} is outside the {tensor} rank {rank}");
    }

    public int[] Ints(ParamKey key) =>
        _desc.Params.Has(key) ? _desc.Params.GetInts(key) : throw Error($"missing parameter {key}");

    public int[] Ints(ParamKey key, int[] fallback) => _desc.Params.GetInts(key, fallback);

    public float Float(ParamKey key, float fallback) =>
        _desc.Params.Has(key) ? Single(key, _desc.Params.GetFloats(key)) : fallback;

    public float[]? FloatsOrNull(ParamKey key) => _desc.Params.Has(key) ? _desc.Params.GetFloats(key) : null;

    /// <summary>A 0/1 flag.</summary>
    public bool Flag(ParamKey key, bool fallback)
    {
        int v = Int(key, fallback ? 1 : 0);
        return v switch
        {
            0 => false,
            1 => true,
            _ => throw Error($"{key} must be 0 or 1, is {v}"),
        };
    }

    public ModelFormatException Error(string what) => new($"op '{_desc.Name}' ({_desc.Code}): {what}");

    private T Single<T>(ParamKey key, T[] values) =>
        values.Length == 1 ? values[0] : throw Error($"parameter {key} must hold one value, holds {values.Length}");
}
