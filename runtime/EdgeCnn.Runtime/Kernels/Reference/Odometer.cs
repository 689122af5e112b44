namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The row-major step of a strided walk: the index over the outer axes counts like an odometer, and each
/// operand's offset follows it through its own strides (0 along an axis it is broadcast over).
/// </summary>
internal static class Odometer
{
    /// <summary>Steps the odometer over axes [0, axisCount) by one, keeping <paramref name="offset"/> in sync.</summary>
    public static void Advance(Span<int> index, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int axisCount, ref int offset)
    {
        for (int axis = axisCount - 1; axis >= 0; axis--)
        {
            offset += strides[axis];
            if (++index[axis] < shape[axis]) return;
            offset -= strides[axis] * shape[axis];
            index[axis] = 0;
        }
    }

    /// <summary>Sets the odometer over axes [0, <paramref name="axisCount"/>) to its <paramref name="step"/>-th position
    /// (row-major; where a walk that starts a part of the output begins) and both offsets to match.</summary>
    public static void Seek(Span<int> index, ReadOnlySpan<int> shape, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides,
        int axisCount, int step, out int aOffset, out int bOffset)
    {
        aOffset = 0;
        bOffset = 0;
        for (int axis = axisCount - 1; axis >= 0; axis--)
        {
            int i = step % shape[axis];
            step /= shape[axis];
            index[axis] = i;
            aOffset += i * aStrides[axis];
            bOffset += i * bStrides[axis];
        }
    }

    /// <summary>As the one-operand step, for two operands read side by side.</summary>
    public static void Advance(Span<int> index, ReadOnlySpan<int> shape, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides,
        int axisCount, ref int aOffset, ref int bOffset)
    {
        for (int axis = axisCount - 1; axis >= 0; axis--)
        {
            aOffset += aStrides[axis];
            bOffset += bStrides[axis];
            if (++index[axis] < shape[axis]) return;
            aOffset -= aStrides[axis] * shape[axis];
            bOffset -= bStrides[axis] * shape[axis];
            index[axis] = 0;
        }
    }
}
