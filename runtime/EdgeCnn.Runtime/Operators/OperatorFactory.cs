using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Maps an op code to its operator. A plain switch: no reflection, trimming-safe.</summary>
public static class OperatorFactory
{
    public static Operator Create(OpDesc desc, CompiledModel model) => desc.Code switch
    {
        // One line per op code: OpCode.X => new XOperator(desc, model),
        // (operators register here)
        OpCode.Conv2D => new Conv2DOperator(desc, model),
        _ => throw new ModelFormatException($"op '{desc.Name}': op code {desc.Code} is not supported by this runtime"),
    };

    /// <summary>Whether this runtime can run the op code (the compiler checks before it writes a model).</summary>
    public static bool IsSupported(OpCode code)
    {
        switch (code)
        {
            // (supported op codes register here)
            case OpCode.Conv2D: return true;
            case (OpCode)0: return false;
            default: return false;
        }
    }
}
