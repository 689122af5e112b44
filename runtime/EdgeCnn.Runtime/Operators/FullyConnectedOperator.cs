using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// Y[M,Cout] = act(X[M,K]·W[Cout,K]ᵀ + B). X may have any shape holding M·K values; the constant weights
/// are repacked once to [K,Cout] so the kernel streams contiguous output rows.
/// </summary>
public sealed class FullyConnectedOperator : Operator
{
    private int _m, _k, _outChannels;
    private float[] _packedWeights = [];
    private bool _hasBias;
    private FusedActivation _activation;

    public FullyConnectedOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        var x = InputInfo(0);
        var w = InputInfo(1);
        var y = OutputInfo(0);
        ExpectFloat(x);
        ExpectFloat(w);
        ExpectFloat(y);
        ExpectRank(w, 2);
        if (w.Kind != TensorKind.Constant) throw Invalid($"weights '{w.Name}' must be a constant");
        (_m, _k, _outChannels) = FullyConnectedShape.Read(x, w, y, Invalid);

        _hasBias = HasInput(2);
        if (_hasBias)
        {
            var b = InputInfo(2);
            ExpectFloat(b);
            if (b.ElementCount != _outChannels || b.Rank != 1)
                throw Invalid($"bias '{b.Name}' {ShapeMath.Text(b.Shape)} must be [{_outChannels}]");
        }
        _activation = FusedActivation.Read(Desc);

        _packedWeights = new float[_k * _outChannels];
        StridedCopyReference.Copy<float>(Model.ConstantFloats(Desc.Inputs[1]), 0, [_k, _outChannels], [1, _k], _packedWeights);
    }

    public override void Invoke(in RunContext context)
    {
        if (_channelParts is null)
        {
            RunRows(in context, 0, _m);
            return;
        }
        for (int part = 0; part < _channelParts.Length; part++) RunChannels(in context, part);
    }

    /// <summary>Split by rows of X in whole register tiles (<see cref="F32GemmVector.Rows"/>), so each row is summed
    /// by the same tile as in one call and the floats are identical. A one-row layer is split over its output channels
    /// instead, each part with the weights of its channels packed on their own (replacing the whole layer's): the GEMM
    /// sums every output column as bias + a₀b₀ + a₁b₁ + … whichever columns it is given.</summary>
    public override int Partitions(int threads)
    {
        long macs = (long)_m * _k * _outChannels;
        if (_m == 1)
        {
            int parts = RangeSplit.Parts(_outChannels, threads, macs, ChannelBlock);
            if (parts > 1 && _channelParts is null) SplitChannels(parts);
            return _channelParts?.Length ?? 1;
        }
        long tiles = (_m + F32GemmVector.Rows - 1) / F32GemmVector.Rows;
        return (int)Math.Max(1, Math.Min(Math.Min(threads, tiles), macs / Spatial2DRowSlices.MinMacsPerPart));
    }

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        if (_channelParts is not null)
        {
            RunChannels(in context, part);
            return;
        }
        long tiles = (_m + F32GemmVector.Rows - 1) / F32GemmVector.Rows;
        int first = (int)Math.Min(_m, tiles * part / parts * F32GemmVector.Rows);
        int end = (int)Math.Min(_m, tiles * (part + 1) / parts * F32GemmVector.Rows);
        RunRows(in context, first, end);
    }

    /// <summary>Output channels per cut of a split one-row layer: whole 256-bit vectors of floats.</summary>
    private const int ChannelBlock = 8;

    private float[][]? _channelParts;
    private int[] _channelBegins = [];

    /// <summary>Repacks [K, Cout] into one [K, count] block per part.</summary>
    private void SplitChannels(int parts)
    {
        _channelParts = new float[parts][];
        _channelBegins = new int[parts + 1];
        for (int part = 0; part < parts; part++)
        {
            var (begin, end) = RangeSplit.Range(_outChannels, part, parts, ChannelBlock);
            int count = end - begin;
            var block = new float[_k * count];
            for (int k = 0; k < _k; k++) _packedWeights.AsSpan(k * _outChannels + begin, count).CopyTo(block.AsSpan(k * count, count));
            _channelParts[part] = block;
            _channelBegins[part] = begin;
            _channelBegins[part + 1] = end;
        }
        _packedWeights = [];
    }

    private void RunChannels(in RunContext context, int part)
    {
        int begin = _channelBegins[part], count = _channelBegins[part + 1] - begin;
        var x = context.Input(0).Slice(0, _k);
        var y = context.Output(0).Slice(begin, count);
        ReadOnlySpan<float> bias = _hasBias ? context.Input(2).Slice(begin, count) : default;
        F32GemmVector.Multiply(x, _k, 1, _channelParts![part], bias, y, 1, count, _k);
        _activation.ApplyInPlace(y);
    }

    private void RunRows(in RunContext context, int first, int end)
    {
        int rows = end - first;
        var x = context.Input(0).Slice(first * _k, rows * _k);
        var y = context.Output(0).Slice(first * _outChannels, rows * _outChannels);
        ReadOnlySpan<float> bias = _hasBias ? context.Input(2) : default;
        F32GemmVector.Multiply(x, _k, 1, _packedWeights, bias, y, rows, _outChannels, _k);
        _activation.ApplyInPlace(y);
    }
}
