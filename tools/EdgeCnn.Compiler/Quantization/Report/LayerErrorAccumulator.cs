namespace EdgeCnn.Compiler.Quantization.Report;

/// <summary>Sums of signal and error energy of one tensor over samples (double precision).</summary>
internal sealed class LayerErrorAccumulator
{
    public double Signal { get; private set; }
    public double Noise { get; private set; }
    public double MaxAbsError { get; private set; }
    public long Elements { get; private set; }

    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<sbyte> quantized, float scale, int zeroPoint)
    {
        double signal = 0, noise = 0, maxAbs = MaxAbsError;
        for (int i = 0; i < reference.Length; i++)
        {
            double x = reference[i];
            double e = x - (double)scale * (quantized[i] - zeroPoint);
            signal += x * x;
            noise += e * e;
            maxAbs = Math.Max(maxAbs, Math.Abs(e));
        }
        Signal += signal;
        Noise += noise;
        MaxAbsError = maxAbs;
        Elements += reference.Length;
    }

    public double SqnrDb => Sqnr(Signal, Noise);

    public static double Sqnr(double signal, double noise) =>
        noise == 0 ? double.PositiveInfinity
        : signal == 0 ? double.NegativeInfinity
        : 10 * Math.Log10(signal / noise);
}
