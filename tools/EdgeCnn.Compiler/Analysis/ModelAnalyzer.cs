using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Analysis;

/// <summary>
/// Per-op and total cost of a <see cref="CompiledModel"/>: parameters, MACs, receptive field, activation
/// memory. Works on the runtime's ops (after fusion and layout conversion), so the numbers describe what
/// actually runs. Spatial tensors are NHWC; graph inputs are in ONNX layout (NCHW).
/// </summary>
public static class ModelAnalyzer
{
    /// <summary>The session's arena alignment; the planned size is computed with the same lifetimes and alignment.</summary>
    public const int ArenaAlignment = 64;

    public static ModelStats Analyze(CompiledModel model, IMemoryPlanner? planner = null)
    {
        var reach = new (SpatialReach H, SpatialReach W)[model.Tensors.Length];
        foreach (var i in model.Inputs)
        {
            var shape = model.Tensors[i].Shape;
            reach[i] = shape.Length == 4
                ? (SpatialReach.Input(shape[2]), SpatialReach.Input(shape[3]))
                : (SpatialReach.Input(1), SpatialReach.Input(1));
        }

        var layers = new List<LayerStats>(model.Ops.Length);
        var constantsSeen = new HashSet<int>();
        long totalParams = 0, totalMacs = 0, weightBytes = 0;
        for (int index = 0; index < model.Ops.Length; index++)
        {
            var op = model.Ops[index];
            long opParams = 0;
            foreach (var t in op.Inputs.Distinct())
            {
                if (t < 0 || model.Tensors[t].Kind != TensorKind.Constant) continue;
                opParams += model.Tensors[t].ElementCount;
                if (constantsSeen.Add(t))
                {
                    totalParams += model.Tensors[t].ElementCount;
                    weightBytes += model.Tensors[t].ByteLength;
                }
            }

            long macs = Macs(model, op);
            totalMacs += macs;
            var outReach = Propagate(model, op, reach);
            foreach (var o in op.Outputs) reach[o] = outReach;

            layers.Add(new LayerStats(
                index,
                op.Code,
                op.Name,
                op.Outputs.Select(o => model.Tensors[o].Shape).ToArray(),
                opParams,
                macs,
                new ReceptiveField(outReach.H.Rf, outReach.W.Rf),
                op.Outputs.Sum(o => model.Tensors[o].ByteLength)));
        }

        var lifetimes = TensorLifetimes.Compute(model);
        // The plan a session would use: the one stored in the model, unless a planner is given.
        var plan = planner is null && model.Plan is { } stored
            ? stored
            : MemoryPlanBuilder.Build(model, planner ?? new GreedyBySizePlanner(), alignment: ArenaAlignment);
        var (peak, peakStep) = PeakLiveBytes(model, lifetimes, plan.OffsetsByTensor(model.Tensors.Length));
        return new ModelStats(layers, totalParams, totalMacs, weightBytes, peak, peakStep, plan.ArenaSize)
        {
            Plan = plan,
            Lifetimes = lifetimes,
        };
    }

    private static long Macs(CompiledModel model, OpDesc op)
    {
        TensorInfo In(int i) => model.Tensors[op.Inputs[i]];
        TensorInfo Out(int i) => model.Tensors[op.Outputs[i]];
        switch (op.Code)
        {
            case OpCode.Conv2D:
            {
                // W[Cout, KH, KW, Cin/g]: every output element takes KH·KW·(Cin/g) products.
                var w = In(1).Shape;
                return Out(0).ElementCount * w[1] * w[2] * w[3];
            }
            case OpCode.ConvTranspose2D:
            {
                // Every input element is scattered into KH·KW·(Cout/g) outputs. Float W is [Cin, KH, KW, Cout/g]; int8 W
                // is stored output-channel-major, [Cout, KH, KW, Cin/g] (see OpCode.ConvTranspose2D).
                var w = In(1).Shape;
                long outputsPerGroup = In(1).Type == DataType.Int8
                    ? w[0] / Math.Max(1, op.Params.GetInt(ParamKey.Group, 1))
                    : w[3];
                return In(0).ElementCount * w[1] * w[2] * outputsPerGroup;
            }
            case OpCode.FullyConnected:
                // X read as [M, K], W[Cout, K]: M·K·Cout = |X|·Cout.
                return In(0).ElementCount * In(1).Shape[0];
            case OpCode.Gemm:
            {
                var a = In(0).Shape;
                int k = op.Params.GetInt(ParamKey.TransA, 0) != 0 ? a[0] : a[1];
                return Out(0).ElementCount * k;
            }
            case OpCode.MatMul:
            {
                var a = In(0).Shape;
                return Out(0).ElementCount * (a.Length == 0 ? 1 : a[^1]);
            }
            default:
                return 0;
        }
    }

    private static (SpatialReach H, SpatialReach W) Propagate(CompiledModel model, OpDesc op, (SpatialReach H, SpatialReach W)[] reach)
    {
        var input = Merge(model, op, reach);
        var outShape = model.Tensors[op.Outputs[0]].Shape;
        var p = op.Params;
        switch (op.Code)
        {
            case OpCode.Conv2D or OpCode.MaxPool2D or OpCode.AveragePool2D or OpCode.LpPool2D when outShape.Length == 4:
            {
                var k = Kernel(model, op);
                var s = p.GetInts(ParamKey.Strides, [1, 1]);
                var d = p.GetInts(ParamKey.Dilations, [1, 1]);
                return (input.H.Window(k[0], s[0], d[0], outShape[1]), input.W.Window(k[1], s[1], d[1], outShape[2]));
            }
            case OpCode.ConvTranspose2D:
            {
                var k = Kernel(model, op);
                var s = p.GetInts(ParamKey.Strides, [1, 1]);
                var d = p.GetInts(ParamKey.Dilations, [1, 1]);
                return (input.H.Transposed(k[0], s[0], d[0]), input.W.Transposed(k[1], s[1], d[1]));
            }
            case OpCode.SpaceToDepth:
            {
                int b = p.GetInt(ParamKey.BlockSize);
                return (input.H.Window(b, b, 1, outShape[1]), input.W.Window(b, b, 1, outShape[2]));
            }
            case OpCode.DepthToSpace:
            {
                int b = p.GetInt(ParamKey.BlockSize);
                return (input.H.Densify(b), input.W.Densify(b));
            }
            case OpCode.GlobalAveragePool or OpCode.GlobalMaxPool:
                return (input.H.Everything(), input.W.Everything());
            case OpCode.FullyConnected or OpCode.Gemm or OpCode.MatMul when IsSingleRow(model.Tensors[op.Inputs[0]].Shape):
                // One row [1, K]: K holds every position the tensor has (typically a flattened feature map).
                return (input.H.Everything(), input.W.Everything());
            case OpCode.FullyConnected or OpCode.Gemm or OpCode.MatMul:
                // Several rows (a 1×1 conv as FullyConnected over NHWC, a sequence MatMul): each row is its own position.
                return input;
            case OpCode.Reduce when TouchesSpatialAxes(model, op, p.GetInts(ParamKey.Axes, [])):
            case OpCode.Softmax when TouchesSpatialAxes(model, op, [p.GetInt(ParamKey.Axis, -1)]):
                return (input.H.Everything(), input.W.Everything());
            default:
                // Element-wise, concatenation, data movement: an output element sees what its inputs see.
                return input;
        }
    }

    private static (SpatialReach H, SpatialReach W) Merge(CompiledModel model, OpDesc op, (SpatialReach H, SpatialReach W)[] reach)
    {
        (SpatialReach H, SpatialReach W)? merged = null;
        foreach (var t in op.Inputs)
        {
            if (t < 0 || model.Tensors[t].Kind == TensorKind.Constant) continue;
            merged = merged is { } m ? (SpatialReach.Max(m.H, reach[t].H), SpatialReach.Max(m.W, reach[t].W)) : reach[t];
        }
        return merged ?? (SpatialReach.Input(1), SpatialReach.Input(1));
    }

    private static int[] Kernel(CompiledModel model, OpDesc op)
    {
        if (op.Params.Has(ParamKey.Kernel)) return op.Params.GetInts(ParamKey.Kernel);
        var w = model.Tensors[op.Inputs[1]].Shape;
        return [w[1], w[2]];
    }

    private static bool IsSingleRow(int[] shape) => shape.Length <= 1 || shape[..^1].All(d => d == 1);

    private static bool TouchesSpatialAxes(CompiledModel model, OpDesc op, int[] axes) =>
        model.Tensors[op.Inputs[0]].Rank == 4 && axes.Any(a => a is 1 or 2);

    /// <summary>The largest sum of bytes alive at one op step. An op computed in place shares its input's offset
    /// (the only way a valid plan lets live tensors meet), so the pair counts once: the bound is for the buffers
    /// the plan actually has.</summary>
    private static (long Bytes, int Step) PeakLiveBytes(CompiledModel model, List<BufferRequest> lifetimes, long[] offsets)
    {
        long peak = 0;
        int peakStep = 0;
        var seen = new HashSet<long>();
        for (int step = 0; step < Math.Max(1, model.Ops.Length); step++)
        {
            long live = 0;
            seen.Clear();
            foreach (var r in lifetimes)
                if (r.FirstUse <= step && step <= r.LastUse && r.Size > 0 && seen.Add(offsets[r.Id])) live += r.Size;
            if (live > peak) { peak = live; peakStep = step; }
        }
        return (peak, peakStep);
    }
}
