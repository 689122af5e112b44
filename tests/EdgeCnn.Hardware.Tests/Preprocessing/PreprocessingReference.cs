using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>What the frame preprocessor must match: the runtime's float path (<see cref="ImagePreprocessor"/>, NCHW)
/// on the decoded image, transposed here for NHWC, and that tensor quantized element by element.</summary>
internal static class PreprocessingReference
{
    public static float[] Floats(PixelImage image, ImagePreprocessing p, ImageTensorLayout layout)
    {
        var nchw = ImagePreprocessor.Run(image, p);
        if (layout == ImageTensorLayout.Nchw) return nchw;
        var nhwc = new float[nchw.Length];
        int plane = p.Height * p.Width;
        for (int c = 0; c < p.Channels; c++)
            for (int i = 0; i < plane; i++)
                nhwc[i * p.Channels + c] = nchw[c * plane + i];
        return nhwc;
    }

    public static sbyte[] Codes(PixelImage image, ImagePreprocessing p, ImageTensorLayout layout, float scale, int zeroPoint) =>
        Floats(image, p, layout).Select(x => Qs8QuantizeReference.Quantize(x, scale, zeroPoint)).ToArray();
}
