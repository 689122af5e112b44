namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// How many vectors a register-blocked loop carries, as a type: a kernel written once against
/// <see cref="IVectorBlock"/> is specialized by the JIT per struct, and branches on the constant
/// <see cref="IVectorBlock.Count"/> fold away, so each width keeps exactly its accumulators in registers.
/// </summary>
internal interface IVectorBlock
{
    static abstract int Count { get; }
}

internal readonly struct OneVector : IVectorBlock
{
    public static int Count => 1;
}

internal readonly struct TwoVectors : IVectorBlock
{
    public static int Count => 2;
}

internal readonly struct ThreeVectors : IVectorBlock
{
    public static int Count => 3;
}

internal readonly struct FourVectors : IVectorBlock
{
    public static int Count => 4;
}
