namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// Shape arithmetic for the layout-agnostic operators. Used while preparing only (it allocates), so
/// that invoking walks as few, as long axes as possible.
/// </summary>
internal static class ShapeMath
{
    /// <summary>The highest rank a strided walk handles (the model validator enforces it on every tensor).</summary>
    public const int MaxRank = 8;

    public static int[] RowMajorStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>Product of shape[from..to) (1 for an empty range).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    public static int Product(ReadOnlySpan<int> shape) => Product(shape, 0, shape.Length);

    public static string Text(ReadOnlySpan<int> shape) => "[" + string.Join(',', shape.ToArray()) + "]";

    /// <summary>
    /// Drops size-1 axes and merges an axis into its left neighbour when every stride set steps
    /// through both as through one axis. The result always has at least one axis, so a walk can
    /// treat the last axis as its inner loop. Sizes of 0 are kept (the caller skips empty tensors).
    /// </summary>
    public static (int[] Shape, int[][] Strides) Coalesce(ReadOnlySpan<int> shape, params int[][] strides)
    {
        var outShape = new List<int>(shape.Length);
        var outStrides = new List<int>[strides.Length];
        for (int s = 0; s < strides.Length; s++) outStrides[s] = new List<int>(shape.Length);

        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] == 1) continue;
            int last = outShape.Count - 1;
            bool merge = last >= 0;
            for (int s = 0; s < strides.Length && merge; s++)
                merge = outStrides[s][last] == strides[s][axis] * shape[axis];
            if (merge)
            {
                outShape[last] *= shape[axis];
                for (int s = 0; s < strides.Length; s++) outStrides[s][last] = strides[s][axis];
            }
            else
            {
                outShape.Add(shape[axis]);
                for (int s = 0; s < strides.Length; s++) outStrides[s].Add(strides[s][axis]);
            }
        }

        if (outShape.Count == 0)
        {
            outShape.Add(1);
            for (int s = 0; s < strides.Length; s++) outStrides[s].Add(0);
        }
        var result = new int[strides.Length][];
        for (int s = 0; s < strides.Length; s++) result[s] = outStrides[s].ToArray();
        return (outShape.ToArray(), result);
    }

    /// <summary>Right-aligns <paramref name="shape"/> to <paramref name="rank"/> axes and returns the strides
    /// that read it broadcast to <paramref name="target"/> (0 along broadcast axes), or null when the
    /// shape does not broadcast to the target.</summary>
    public static int[]? BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        int rank = target.Length;
        if (shape.Length > rank) return null;
        var strides = new int[rank];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            int axis = rank - shape.Length + i;
            if (shape[i] == target[axis]) strides[axis] = shape[i] == 1 ? 0 : s;
            else if (shape[i] == 1) strides[axis] = 0;
            else return null;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>The numpy broadcast of two shapes, or null when they are incompatible.</summary>
    public static int[]? BroadcastShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else return null;
        }
        return result;
    }

    /// <summary>The walk of out = a ⊕ b over <paramref name="shape"/>, the broadcast of the operand shapes:
    /// the coalesced output shape and the strides of a and b along it.</summary>
    public static (int[] Shape, int[] AStrides, int[] BStrides) BroadcastWalk(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int[] shape)
    {
        var (walk, strides) = Coalesce(shape, BroadcastStrides(a, shape)!, BroadcastStrides(b, shape)!, RowMajorStrides(shape));
        return (walk, strides[0], strides[1]);
    }
}
