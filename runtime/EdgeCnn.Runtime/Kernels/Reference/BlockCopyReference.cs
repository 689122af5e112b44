namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Copies <c>count</c> equal blocks between two strided sequences: block b goes from
/// source[sourceOffset + b·sourceStride ..] to destination[destinationOffset + b·destinationStride ..].
/// Concat, Split and Gather are all this with different strides. Generic over the element type.
/// </summary>
public static class BlockCopyReference
{
    public static void Copy<T>(ReadOnlySpan<T> source, int sourceOffset, int sourceStride,
        Span<T> destination, int destinationOffset, int destinationStride, int blockLength, int count)
    {
        if (blockLength == 0) return;
        for (int b = 0; b < count; b++)
            source.Slice(sourceOffset + b * sourceStride, blockLength)
                .CopyTo(destination.Slice(destinationOffset + b * destinationStride, blockLength));
    }
}
