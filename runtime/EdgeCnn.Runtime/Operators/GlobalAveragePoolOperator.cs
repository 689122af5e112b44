using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.GlobalAveragePool"/>: X[N,H,W,C] → Y[N,1,1,C], summing in double scratch.</summary>
public sealed class GlobalAveragePoolOperator : GlobalPoolOperatorBase
{
    public GlobalAveragePoolOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ReadShape();
        context.RequestScratch(checked(Channels * sizeof(double)));
    }

    public override void Invoke(in RunContext context) =>
        F32GlobalAveragePoolReference.Run(Batch, Pixels, Channels, context.Input(0), context.Output(0),
            MemoryMarshal.Cast<byte, double>(context.Scratch));

    /// <summary>Split by blocks of channels; each part sums its channels in its own scratch, in the whole op's order.</summary>
    public override int Partitions(int threads) => RangeSplit.Parts(Channels, threads, (long)Batch * Pixels * Channels, ChannelBlock);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var (begin, end) = RangeSplit.Range(Channels, part, parts, ChannelBlock);
        F32GlobalAveragePoolReference.Run(Batch, Pixels, Channels, context.Input(0), context.Output(0),
            MemoryMarshal.Cast<byte, double>(context.Scratch), begin, end);
    }

    private const int ChannelBlock = 16;
}
