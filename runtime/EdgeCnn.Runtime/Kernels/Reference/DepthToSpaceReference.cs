namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// NHWC depth-to-space with ONNX's channel order: X[N,H,W,C] → Y[N,H·b,W·b,C/b²] where
/// y[n, h·b+i, w·b+j, c] = x[n, h, w, (i·b+j)·C/b² + c] in DCR mode and x[n, h, w, c·b² + i·b + j] in CRD mode.
/// Generic over the element type.
/// </summary>
public static class DepthToSpaceReference
{
    public static void Run<T>(int batch, int height, int width, int channels, int block, bool columnRowDepth, ReadOnlySpan<T> x, Span<T> y)
    {
        int outChannels = channels / (block * block);
        for (int n = 0; n < batch; n++)
        for (int h = 0; h < height; h++)
        for (int w = 0; w < width; w++)
        {
            var input = x.Slice(((n * height + h) * width + w) * channels, channels);
            for (int i = 0; i < block; i++)
            for (int j = 0; j < block; j++)
            {
                var output = y.Slice((((n * height + h) * block + i) * width * block + w * block + j) * outChannels, outChannels);
                if (!columnRowDepth)
                {
                    input.Slice((i * block + j) * outChannels, outChannels).CopyTo(output);
                    continue;
                }
                for (int c = 0; c < outChannels; c++) output[c] = input[c * block * block + i * block + j];
            }
        }
    }
}
