using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.GlobalMaxPool"/>: X[N,H,W,C] → Y[N,1,1,C].</summary>
public sealed class GlobalMaxPoolOperator : GlobalPoolOperatorBase
{
    public GlobalMaxPoolOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context) => ReadShape();

    public override void Invoke(in RunContext context) =>
        F32GlobalMaxPoolReference.Run(Batch, Pixels, Channels, context.Input(0), context.Output(0));
}
