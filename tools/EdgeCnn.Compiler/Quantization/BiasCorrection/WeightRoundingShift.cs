using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.BiasCorrection;

/// <summary>
/// The expected output error that rounding the weights adds, per output channel:
/// E[(W_q − W)·x][c] = Σ_{kh,kw,j} (s_w[c]·q[c,kh,kw,j] − w[c,kh,kw,j]) · E[x at (kh, kw, group(c)·Cin/g + j)],
/// with the input means of <see cref="WindowInputMeans"/>. Weights are NHWC W[Cout,KH,KW,Cin/g] (a fully connected
/// layer's W[Cout,K] is the same with KH = KW = 1 and one group).
/// </summary>
internal static class WeightRoundingShift
{
    /// <param name="means">Per tap, [KH, KW, Cin] as <see cref="WindowInputMeans.Means"/> returns them.</param>
    public static double[] Compute(float[] weights, long[] quantized, QuantParams weightQuant, int outChannels, int kernelTaps,
        int inChannels, int group, double[] means)
    {
        int inPerGroup = inChannels / group, outPerGroup = outChannels / group;
        int row = kernelTaps * inPerGroup;
        if (weights.Length != outChannels * row || quantized.Length != weights.Length)
            throw new ArgumentException($"{weights.Length} float and {quantized.Length} int8 weights for [{outChannels},{kernelTaps} taps,{inPerGroup}]");
        if (means.Length != kernelTaps * inChannels)
            throw new ArgumentException($"{means.Length} input means for {kernelTaps} taps of {inChannels} channels");

        var shift = new double[outChannels];
        for (int c = 0; c < outChannels; c++)
        {
            double scale = weightQuant.IsPerTensor ? weightQuant.Scale : weightQuant.Scales[c];
            int firstInput = c / outPerGroup * inPerGroup;
            double sum = 0;
            for (int t = 0; t < kernelTaps; t++)
                for (int j = 0; j < inPerGroup; j++)
                {
                    int w = c * row + t * inPerGroup + j;
                    sum += (scale * quantized[w] - weights[w]) * means[t * inChannels + firstInput + j];
                }
            shift[c] = sum;
        }
        return shift;
    }
}
