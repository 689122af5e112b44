namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// NHWC space-to-depth with ONNX's channel order: X[N,H,W,C] → Y[N,H/b,W/b,C·b²] where
/// y[n, h, w, (i·b+j)·C + c] = x[n, h·b+i, w·b+j, c]. Height and width here are the output's.
/// Generic over the element type.
/// </summary>
public static class SpaceToDepthReference
{
    public static void Run<T>(int batch, int outHeight, int outWidth, int channels, int block, ReadOnlySpan<T> x, Span<T> y)
    {
        int inWidth = outWidth * block;
        for (int n = 0; n < batch; n++)
        for (int h = 0; h < outHeight; h++)
        for (int w = 0; w < outWidth; w++)
        {
            var output = y.Slice(((n * outHeight + h) * outWidth + w) * channels * block * block, channels * block * block);
            for (int i = 0; i < block; i++)
            for (int j = 0; j < block; j++)
            {
                int inRow = (n * outHeight + h) * block + i;
                x.Slice((inRow * inWidth + w * block + j) * channels, channels).CopyTo(output.Slice((i * block + j) * channels, channels));
            }
        }
    }
}
