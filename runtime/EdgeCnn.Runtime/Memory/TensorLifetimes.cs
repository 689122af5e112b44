using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Memory;

/// <summary>
/// The arena buffers a model needs and when each must stay intact: graph inputs from step 0, each activation
/// from the op that produces it to its last reader, graph outputs until after the last op. Constants live in
/// the weight blob and need no buffer. The session plans its arena from this; analysis tools reuse it so
/// their numbers are the session's.
/// </summary>
public static class TensorLifetimes
{
    public static List<BufferRequest> Compute(CompiledModel model)
    {
        var first = new int[model.Tensors.Length];
        var last = new int[model.Tensors.Length];
        Array.Fill(first, -1);
        Array.Fill(last, -1);
        foreach (var t in model.Inputs) { first[t] = 0; last[t] = 0; }
        for (int i = 0; i < model.Ops.Length; i++)
        {
            foreach (var t in model.Ops[i].Inputs)
                if (t >= 0 && model.Tensors[t].Kind != TensorKind.Constant) last[t] = Math.Max(last[t], i);
            foreach (var t in model.Ops[i].Outputs) { first[t] = i; last[t] = Math.Max(last[t], i); }
        }
        foreach (var t in model.Outputs)
            if (model.Tensors[t].Kind != TensorKind.Constant) last[t] = model.Ops.Length;
        var requests = new List<BufferRequest>();
        for (int t = 0; t < model.Tensors.Length; t++)
            if (first[t] >= 0) requests.Add(new BufferRequest(t, model.Tensors[t].ByteLength, first[t], last[t]));
        return requests;
    }
}
