using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary><see cref="OpCode.GlobalAveragePool"/> on int8 data with the same quantization in and out: X[N,H,W,C] →
/// Y[N,1,1,C], a rounded integer mean (<see cref="Qs8GlobalAveragePoolReference"/>) by the kernel of the session's
/// path (<see cref="Qs8GlobalAveragePoolKernels"/>).</summary>
public sealed class Qs8GlobalAveragePoolOperator : GlobalPoolOperatorBase
{
    private int _zeroPoint;
    private KernelPath _kernel;

    public Qs8GlobalAveragePoolOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ReadShape(DataType.Int8);
        Qs8Params.ExpectSameQuant(Desc, InputInfo(0), OutputInfo(0));
        _zeroPoint = InputInfo(0).Quant!.ZeroPoint;
        _kernel = Qs8GlobalAveragePoolKernels.Select(context.Path);
    }

    public override void Invoke(in RunContext context) =>
        Qs8GlobalAveragePoolKernels.Run(_kernel, Batch, Pixels, Channels, _zeroPoint, context.Input<sbyte>(0), context.Output<sbyte>(0));

    /// <summary>Split by blocks of <see cref="ChannelBlock"/> channels: channels are independent, and whole blocks keep
    /// the 256-bit kernel's vectors inside a part.</summary>
    public override int Partitions(int threads) => RangeSplit.Parts(Channels, threads, (long)Batch * Pixels * Channels, ChannelBlock);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var (begin, end) = RangeSplit.Range(Channels, part, parts, ChannelBlock);
        Qs8GlobalAveragePoolKernels.Run(_kernel, Batch, Pixels, Channels, _zeroPoint, context.Input<sbyte>(0), context.Output<sbyte>(0), begin, end);
    }

    private const int ChannelBlock = 32;
}
