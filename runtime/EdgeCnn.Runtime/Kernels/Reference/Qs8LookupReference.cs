namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>An element-wise function on int8 data as a 256-entry table built by the quantizer:
/// y = table[x + 128].</summary>
public static class Qs8LookupReference
{
    public const int TableLength = 256;

    public static void Run(ReadOnlySpan<sbyte> x, ReadOnlySpan<sbyte> table, Span<sbyte> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = table[x[i] + 128];
    }
}
