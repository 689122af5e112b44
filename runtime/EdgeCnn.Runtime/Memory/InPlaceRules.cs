using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// Which ops may write their output over one of their inputs. An op qualifies only when its kernels, on every
/// kernel path, read each element of that input before writing the output element at the same index and touch
/// no other output index in between — so sharing the buffer gives the same bytes as separate buffers:
/// <list type="bullet">
/// <item><see cref="OpCode.Unary"/> (float functions and the int8 lookup table): input X.</item>
/// <item><see cref="OpCode.Binary"/> (float and int8, with broadcasting): an input A or B whose element count equals
/// the output's, so it is walked contiguously like the output.</item>
/// <item><see cref="OpCode.ChannelAffine"/>: input X.</item>
/// <item><see cref="OpCode.Reshape"/> (also Flatten, Squeeze, Unsqueeze, Identity): the output is an alias of the
/// input and the operator skips the copy.</item>
/// <item><see cref="OpCode.ChannelShuffle"/>: the permutation moves elements between indices of a row, so the
/// operator copies each row to scratch first when the buffers are shared.</item>
/// </list>
/// This class states what the op allows; the planner also requires that the input is an activation whose last
/// reader is this op and that is no graph output, and the plan validator checks the same conditions.
/// Kernel authors: a vector loop over these ops must not end in an overlapping last vector (it would read
/// outputs already written); use a scalar tail.
/// </summary>
public static class InPlaceRules
{
    /// <summary>True when output 0 of <paramref name="op"/> may share the buffer of its input
    /// <paramref name="input"/> as far as the op's kernels are concerned.</summary>
    public static bool Allows(CompiledModel model, OpDesc op, int input)
    {
        if (op.Outputs.Length != 1 || (uint)input >= (uint)op.Inputs.Length || op.Inputs[input] < 0) return false;
        var x = model.Tensors[op.Inputs[input]];
        var y = model.Tensors[op.Outputs[0]];
        if (x.Type != y.Type || x.ElementCount != y.ElementCount) return false;
        return op.Code switch
        {
            OpCode.Unary or OpCode.ChannelAffine or OpCode.Reshape or OpCode.ChannelShuffle => input == 0,
            OpCode.Binary => input is 0 or 1,
            _ => false,
        };
    }

    /// <summary>The input index op <paramref name="opIndex"/> writes over when planned in place, or −1: the first
    /// input the op allows that is an activation (not a graph input, constant or graph output) read for the last
    /// time by this op.</summary>
    public static int Choose(CompiledModel model, int opIndex, ReadOnlySpan<int> lastUse, ReadOnlySpan<bool> isGraphOutput)
    {
        var op = model.Ops[opIndex];
        for (int k = 0; k < op.Inputs.Length; k++)
        {
            int t = op.Inputs[k];
            if (t < 0 || model.Tensors[t].Kind != TensorKind.Activation || isGraphOutput[t] || lastUse[t] != opIndex) continue;
            if (Allows(model, op, k)) return k;
        }
        return -1;
    }
}
