using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Compiler.Quantization.BiasCorrection;

/// <summary>
/// For every weight position (kh, kw, input channel) of a convolution, the mean of the input value that weight
/// multiplies, over all output positions and samples. A tap that falls into the padding multiplies a real 0 and
/// counts as such. Then Σ_taps ΔW[c, tap] · mean[tap] is exactly the mean over the output of channel c of the error
/// ΔW·x, which is what bias correction removes. A fully connected layer X[M,K] is the 1×1 convolution of
/// [1, M, 1, K].
///
/// The sums are of the int8 offsets (q − zp): exact integers, so the means do not depend on summation order, and
/// the input scale is applied once at the end.
/// </summary>
internal sealed class WindowInputMeans
{
    private readonly Spatial2DGeometry _g;
    private readonly int[][] _rows;
    private readonly int[][] _columns;
    private readonly long[] _sums;
    private readonly long[] _rowSums;
    private long _positions;

    public WindowInputMeans(Spatial2DGeometry geometry)
    {
        _g = geometry;
        _rows = Enumerable.Range(0, geometry.KernelHeight)
            .Select(kh => Hit(geometry.OutHeight, geometry.StrideH, geometry.PadTop, kh * geometry.DilationH, geometry.InHeight)).ToArray();
        _columns = Enumerable.Range(0, geometry.KernelWidth)
            .Select(kw => Hit(geometry.OutWidth, geometry.StrideW, geometry.PadLeft, kw * geometry.DilationW, geometry.InWidth)).ToArray();
        _sums = new long[geometry.KernelHeight * geometry.KernelWidth * geometry.InChannels];
        _rowSums = new long[geometry.InWidth * geometry.InChannels];
    }

    /// <summary>The geometry of a fully connected layer reading X as [rows, K] and writing [rows, Cout].</summary>
    public static Spatial2DGeometry FullyConnected(int rows, int k, int outChannels) =>
        new(1, rows, 1, k, rows, 1, outChannels, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);

    public Spatial2DGeometry Geometry => _g;

    /// <summary>Samples added so far, counted in output positions (batch × OH × OW).</summary>
    public long Positions => _positions;

    /// <summary>Adds one run's input X[N,H,W,C] (int8 with zero point <paramref name="zeroPoint"/>).</summary>
    public void Add(ReadOnlySpan<sbyte> x, int zeroPoint)
    {
        if (x.Length != _g.InputLength)
            throw new ArgumentException($"input holds {x.Length} values, the layer reads {_g.InputLength}");
        int channels = _g.InChannels, rowLength = _g.InWidth * channels;
        for (int kh = 0; kh < _g.KernelHeight; kh++)
        {
            Array.Clear(_rowSums);
            for (int n = 0; n < _g.Batch; n++)
                foreach (int ih in _rows[kh])
                {
                    var row = x.Slice((n * _g.InHeight + ih) * rowLength, rowLength);
                    for (int i = 0; i < rowLength; i++) _rowSums[i] += row[i] - zeroPoint;
                }
            for (int kw = 0; kw < _g.KernelWidth; kw++)
            {
                var sums = _sums.AsSpan((kh * _g.KernelWidth + kw) * channels, channels);
                foreach (int iw in _columns[kw])
                    for (int c = 0; c < channels; c++) sums[c] += _rowSums[iw * channels + c];
            }
        }
        _positions += (long)_g.Batch * _g.OutHeight * _g.OutWidth;
    }

    /// <summary>The mean real input per tap, laid out like one output channel's weights of a group-1 layer:
    /// [KH, KW, Cin]. Zero before anything was added.</summary>
    public double[] Means(float inputScale)
    {
        var means = new double[_sums.Length];
        if (_positions == 0) return means;
        for (int i = 0; i < means.Length; i++) means[i] = (double)inputScale * _sums[i] / _positions;
        return means;
    }

    /// <summary>The input indices tap offset <paramref name="offset"/> reads over all output indices: o·s − pad + offset,
    /// those inside [0, size). Each output index reads one input index, so the list has no repeats.</summary>
    private static int[] Hit(int outputs, int stride, int pad, int offset, int size)
    {
        var hit = new List<int>();
        for (int o = 0; o < outputs; o++)
        {
            long i = (long)o * stride - pad + offset;
            if (i >= 0 && i < size) hit.Add((int)i);
        }
        return hit.ToArray();
    }
}
