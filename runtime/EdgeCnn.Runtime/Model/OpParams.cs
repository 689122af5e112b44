namespace EdgeCnn.Runtime.Model;

/// <summary>Typed parameters of one op: each key holds an int list or a float list (by key).</summary>
public sealed class OpParams
{
    private readonly SortedDictionary<ParamKey, int[]> _ints = new();
    private readonly SortedDictionary<ParamKey, float[]> _floats = new();

    public IEnumerable<KeyValuePair<ParamKey, int[]>> Ints => _ints;
    public IEnumerable<KeyValuePair<ParamKey, float[]>> Floats => _floats;
    public int Count => _ints.Count + _floats.Count;

    public OpParams Set(ParamKey key, params int[] values)
    {
        if (key.IsFloat()) throw new ArgumentException($"parameter {key} holds floats, not ints");
        _ints[key] = values;
        return this;
    }

    public OpParams Set(ParamKey key, params float[] values)
    {
        if (!key.IsFloat()) throw new ArgumentException($"parameter {key} holds ints, not floats");
        _floats[key] = values;
        return this;
    }

    public bool Has(ParamKey key) => key.IsFloat() ? _floats.ContainsKey(key) : _ints.ContainsKey(key);

    public int[] GetInts(ParamKey key) =>
        _ints.TryGetValue(key, out var v) ? v : throw new ModelFormatException($"missing parameter {key}");

    public int[] GetInts(ParamKey key, int[] fallback) => _ints.TryGetValue(key, out var v) ? v : fallback;

    public int GetInt(ParamKey key) => Single(key, GetInts(key));

    public int GetInt(ParamKey key, int fallback) => _ints.TryGetValue(key, out var v) ? Single(key, v) : fallback;

    public float[] GetFloats(ParamKey key) =>
        _floats.TryGetValue(key, out var v) ? v : throw new ModelFormatException($"missing parameter {key}");

    public float[] GetFloats(ParamKey key, float[] fallback) => _floats.TryGetValue(key, out var v) ? v : fallback;

    public float GetFloat(ParamKey key) => Single(key, GetFloats(key));

    public float GetFloat(ParamKey key, float fallback) => _floats.TryGetValue(key, out var v) ? Single(key, v) : fallback;

    public ActivationKind Activation => (ActivationKind)GetInt(ParamKey.Activation, 0);

    private static T Single<T>(ParamKey key, T[] values) =>
        values.Length == 1 ? values[0] : throw new ModelFormatException($"parameter {key} must hold one value, holds {values.Length}");
}
