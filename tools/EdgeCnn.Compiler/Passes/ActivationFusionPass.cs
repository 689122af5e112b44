using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Folds a standalone activation (Unary Relu, Clip, LeakyRelu, HardSigmoid, HardSwish, Sigmoid, Tanh) into
/// the op that produces its input — Conv2D, ConvTranspose2D, FullyConnected, ChannelAffine, Binary, Gemm —
/// when that op has no activation yet and the activation is the only reader of its output. Gemm's own
/// Alpha/Beta share the param slots, so it only takes activations without parameters.
/// </summary>
public sealed class ActivationFusionPass : IGraphPass
{
    public string Name => "activation-fusion";

    public bool Run(Graph graph)
    {
        bool changed = false;
        var uses = GraphRewrite.Uses(graph);
        foreach (var act in graph.Nodes.ToList())
        {
            if (!act.Is(OpCode.Unary) || !IsFusable(act.Activation())) continue;
            var x = act.Input(0);
            if (x.Producer is not { } producer || !graph.Nodes.Contains(producer) || !Accepts(producer, act.Activation())) continue;
            if (graph.IsGraphOutput(x) || GraphRewrite.Readers(uses, x).Count != 1 || producer.Outputs.Count != 1) continue;
            producer.SetParam(ParamKey.Activation, (int)act.Activation());
            if (act.Floats(ParamKey.Alpha) is { } alpha) producer.SetParam(ParamKey.Alpha, alpha);
            if (act.Floats(ParamKey.Beta) is { } beta) producer.SetParam(ParamKey.Beta, beta);
            var y = act.Outputs[0];
            graph.RemoveNode(act);
            producer.Outputs[0] = y;
            y.Producer = producer;
            changed = true;
        }
        return changed;
    }

    public static bool IsFusable(ActivationKind kind) => kind is ActivationKind.Relu or ActivationKind.Clip
        or ActivationKind.LeakyRelu or ActivationKind.HardSigmoid or ActivationKind.HardSwish
        or ActivationKind.Sigmoid or ActivationKind.Tanh;

    private static bool Accepts(Node producer, ActivationKind kind)
    {
        if (!producer.TryGetCode(out var code) || producer.Activation() != ActivationKind.None) return false;
        bool parameterless = kind is ActivationKind.Relu or ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.HardSwish;
        return code switch
        {
            OpCode.Conv2D or OpCode.ConvTranspose2D or OpCode.FullyConnected or OpCode.ChannelAffine or OpCode.Binary => true,
            OpCode.Gemm => parameterless,
            _ => false,
        };
    }
}
