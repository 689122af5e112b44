namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Gather along one axis: for every outer position o and index slot t,
/// output[o, t, :] = input[o, indices[t], :], with blocks of <c>inner</c> elements.
/// The caller guarantees every index is inside 0..axisLength-1. Generic over the element type.
/// </summary>
public static class GatherReference
{
    public static void Gather<T>(ReadOnlySpan<T> input, Span<T> output, int outerCount, int axisLength, ReadOnlySpan<int> indices, int inner)
    {
        if (inner == 0) return;
        int dst = 0;
        for (int o = 0; o < outerCount; o++)
        {
            int rowBase = o * axisLength;
            foreach (int index in indices)
            {
                input.Slice((rowBase + index) * inner, inner).CopyTo(output.Slice(dst, inner));
                dst += inner;
            }
        }
    }
}
