using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Axis permutations with the Transpose convention: y = Transpose(x, p) has y.shape[i] = x.shape[p[i]].
/// </summary>
public static class Permutation
{
    /// <summary>NCHW → NHWC.</summary>
    public static readonly int[] ToChannelsLast = [0, 2, 3, 1];
    /// <summary>NHWC → NCHW.</summary>
    public static readonly int[] ToChannelsFirst = [0, 3, 1, 2];

    public static bool IsValid(int[] perm)
    {
        var seen = new bool[perm.Length];
        foreach (var p in perm)
        {
            if ((uint)p >= (uint)perm.Length || seen[p]) return false;
            seen[p] = true;
        }
        return true;
    }

    public static bool IsIdentity(int[] perm)
    {
        for (int i = 0; i < perm.Length; i++)
            if (perm[i] != i) return false;
        return true;
    }

    public static int[] Identity(int rank) => Enumerable.Range(0, rank).ToArray();

    public static int[] Inverse(int[] perm)
    {
        var inv = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
        return inv;
    }

    /// <summary>The single permutation equal to Transpose(Transpose(x, first), second).</summary>
    public static int[] Then(int[] first, int[] second)
    {
        var c = new int[second.Length];
        for (int i = 0; i < second.Length; i++) c[i] = first[second[i]];
        return c;
    }

    /// <summary>Reorders per-axis values the way Transpose reorders the shape: result[i] = values[perm[i]].</summary>
    public static T[] Apply<T>(int[] perm, T[] values)
    {
        var r = new T[perm.Length];
        for (int i = 0; i < perm.Length; i++) r[i] = values[perm[i]];
        return r;
    }

    /// <summary>The permutation that moves <paramref name="axis"/> to the end, keeping the others in order.</summary>
    public static int[] MoveAxisToLast(int rank, int axis) =>
        Enumerable.Range(0, rank).Where(a => a != axis).Append(axis).ToArray();

    /// <summary>Whether transposing a tensor of <paramref name="shape"/> leaves its memory order unchanged
    /// (only axes of size 1 move), so the transpose is a mere reshape.</summary>
    public static bool PreservesMemoryOrder(int[] shape, int[] perm)
    {
        int last = -1;
        foreach (var a in perm)
        {
            if (shape[a] == 1) continue;
            if (a < last) return false;
            last = a;
        }
        return true;
    }

    /// <summary>Transposes constant data (any element type).</summary>
    public static TensorData Transpose(TensorData data, int[] perm)
    {
        if (perm.Length != data.Rank) throw new ArgumentException($"perm of rank {perm.Length} for a tensor of rank {data.Rank}");
        var outShape = Apply(perm, data.Shape);
        if (data.Floats is not null) return TensorData.FromFloats(outShape, TransposeArray(data.Floats, data.Shape, perm), data.Type);
        return TensorData.FromLongs(outShape, TransposeArray(data.Longs!, data.Shape, perm), data.Type);
    }

    private static T[] TransposeArray<T>(T[] src, int[] shape, int[] perm)
    {
        int rank = shape.Length;
        var result = new T[src.Length];
        if (src.Length == 0) return result;
        var inStrides = new long[rank];
        long s = 1;
        for (int a = rank - 1; a >= 0; a--) { inStrides[a] = s; s *= shape[a]; }
        var outShape = Apply(perm, shape);
        var strideOfOut = new long[rank];
        for (int i = 0; i < rank; i++) strideOfOut[i] = inStrides[perm[i]];
        var index = new int[rank];
        long srcOffset = 0;
        for (long o = 0; o < result.LongLength; o++)
        {
            result[o] = src[srcOffset];
            for (int i = rank - 1; i >= 0; i--)
            {
                index[i]++;
                srcOffset += strideOfOut[i];
                if (index[i] < outShape[i]) break;
                srcOffset -= strideOfOut[i] * index[i];
                index[i] = 0;
            }
        }
        return result;
    }
}
