using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Shape checks shared by the global pools: X[N,H,W,C] → Y[N,1,1,C].</summary>
public abstract class GlobalPoolOperatorBase : Operator
{
    protected GlobalPoolOperatorBase(OpDesc desc, CompiledModel model) : base(desc, model) { }

    protected int Batch { get; private set; }
    protected int Pixels { get; private set; }
    protected int Channels { get; private set; }

    protected void ReadShape(DataType elementType = DataType.Float32)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectRank(x, 4);
        ExpectType(x, elementType);
        ExpectType(y, elementType);
        ExpectShape(y, x.Shape[0], 1, 1, x.Shape[3]);
        (Batch, Pixels, Channels) = (x.Shape[0], x.Shape[1] * x.Shape[2], x.Shape[3]);
    }
}
