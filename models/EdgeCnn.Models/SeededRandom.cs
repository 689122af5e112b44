namespace EdgeCnn.Models;

/// <summary>
/// SplitMix64: a tiny generator whose output depends only on the seed, on every runtime and CPU, so
/// generated weights (and the committed model files made from them) are reproducible bit for bit.
/// Floats are built from integer bits and scaled with exact operations (no transcendental functions).
/// </summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (exactly representable as float).</summary>
    public double NextUnit() => (NextUInt64() >> 40) * (1.0 / (1 << 24));

    /// <summary>Uniform in [low, high).</summary>
    public float Uniform(double low, double high) => (float)(low + (high - low) * NextUnit());

    public float[] Uniform(int count, double low, double high)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = Uniform(low, high);
        return values;
    }
}
