namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Y[M,N] = bias + A·B in float32, the plain triple loop. A(i,k) = a[i·aRowStride + k·aColStride], so a
/// transposed A is just other strides; B is row-major [K,N]; Y is row-major [M,N]. Each output is summed
/// as bias + a₀b₀ + a₁b₁ + … in this order, which the optimized variants reproduce exactly.
/// </summary>
public static class F32GemmReference
{
    /// <param name="bias">Empty, or N values added to every row.</param>
    public static void Multiply(ReadOnlySpan<float> a, int aRowStride, int aColStride, ReadOnlySpan<float> b,
        ReadOnlySpan<float> bias, Span<float> y, int m, int n, int k)
    {
        CheckOperands(a.Length, aRowStride, aColStride, b.Length, bias.Length, y.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = bias.Length != 0 ? bias[j] : 0f;
                for (int kk = 0; kk < k; kk++) sum += a[i * aRowStride + kk * aColStride] * b[kk * n + j];
                y[i * n + j] = sum;
            }
        }
    }

    /// <summary>Throws unless the spans hold every element the sizes and strides address.</summary>
    public static void CheckOperands(int aLength, int aRowStride, int aColStride, int bLength, int biasLength, int yLength, int m, int n, int k)
    {
        if (m < 0 || n < 0 || k < 0 || aRowStride < 0 || aColStride < 0) throw new ArgumentException("negative gemm size or stride");
        if (m == 0 || n == 0) return;
        if ((k > 0 && (long)(m - 1) * aRowStride + (long)(k - 1) * aColStride >= aLength) || (long)k * n > bLength
            || (long)m * n > yLength || (biasLength != 0 && biasLength < n))
            throw new ArgumentException($"gemm operands are too small for M={m}, N={n}, K={k}");
    }
}
