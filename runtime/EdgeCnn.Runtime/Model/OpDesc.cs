namespace EdgeCnn.Runtime.Model;

/// <summary>One op of the model: what it computes, on which tensors (indices into the tensor table).
/// An absent optional input is -1.</summary>
public sealed class OpDesc
{
    public OpDesc(OpCode code, string name, int[] inputs, int[] outputs, OpParams parameters)
    {
        Code = code;
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Params = parameters;
    }

    public OpCode Code { get; }
    public string Name { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }
    public OpParams Params { get; }

    public override string ToString() => $"{Code} '{Name}'";
}
