namespace EdgeCnn.Compiler.Tests;

/// <summary>A seed derived from a text that is the same in every process (string.GetHashCode is randomized per
/// process, so a failure seen once could never be reproduced).</summary>
internal static class TestSeed
{
    /// <summary>FNV-1a over the UTF-16 code units, folded to a non-negative int.</summary>
    public static int Of(string text)
    {
        uint h = 2166136261;
        foreach (char ch in text)
        {
            h ^= ch;
            h *= 16777619;
        }
        return (int)(h & 0x7fffffff);
    }
}
