using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.ChannelShuffle"/>: along the last axis, channel g·(C/G) + i goes to i·G + g.
/// Float32, or Int8 with unchanged quantization (whose kernel, <see cref="ByteChannelShuffleKernels"/>, is chosen at Prepare).</summary>
public sealed class ChannelShuffleOperator : Operator
{
    private int _rows, _channels, _groups, _elementSize;
    private KernelPath _byteKernel;

    public ChannelShuffleOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        if (x.Rank < 1) throw Invalid($"tensor '{x.Name}' must have at least one axis");
        _elementSize = ExpectMovableElements(x, y);
        ExpectShape(y, x.Shape);
        _groups = Read.Int(ParamKey.Group);
        _channels = x.Shape[^1];
        if (_groups < 1 || _channels % _groups != 0)
            throw Invalid($"parameter Group {_groups} must be at least 1 and divide the {_channels} channels");
        _rows = _channels == 0 ? 0 : (int)(x.ElementCount / _channels);
        // One row of scratch, for when the memory plan runs the shuffle in place (InPlaceRules).
        context.RequestScratch(checked(_channels * _elementSize));
        _byteKernel = ByteChannelShuffleKernels.Select(context.Path);
    }

    public override void Invoke(in RunContext context)
    {
        var x = context.InputBytes(0);
        var y = context.OutputBytes(0);
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y)))
        {
            Shuffle(_rows, x, y);
            return;
        }
        // In place: a row's elements move between its indices, so each row is shuffled from a copy.
        int rowBytes = _channels * _elementSize;
        var row = context.Scratch[..rowBytes];
        for (int r = 0; r < _rows; r++)
        {
            var target = y.Slice(r * rowBytes, rowBytes);
            target.CopyTo(row);
            Shuffle(1, row, target);
        }
    }

    private void Shuffle(int rows, ReadOnlySpan<byte> x, Span<byte> y)
    {
        if (_elementSize == 1) ByteChannelShuffleKernels.Run(_byteKernel, rows, _channels, _groups, x, y);
        else ChannelShuffleReference.Run(rows, _channels, _groups, MemoryMarshal.Cast<byte, float>(x), MemoryMarshal.Cast<byte, float>(y));
    }
}
