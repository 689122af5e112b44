using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Memory;
using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Operators;
using EdgeCnn.Runtime.Threading;

namespace EdgeCnn.Runtime;

/// <summary>
/// Runs a <see cref="CompiledModel"/>. Everything is decided when the session is created: operators
/// are prepared, activations get fixed places in one arena, scratch is reserved. <see cref="Run(ReadOnlySpan{float}, Span{float})"/>
/// then only copies inputs in, invokes the ops in order and copies outputs out; it allocates nothing.
/// A session is not thread-safe; create one per caller thread. With <see cref="SessionOptions.ThreadCount"/> above 1
/// its ops run on several threads, and the session must be disposed.
/// </summary>
public sealed partial class Session
{
    private const int Alignment = 64;
    private readonly Operator[] _operators;
    private readonly long[] _offsets;
    private readonly byte[] _arena;
    private readonly int _scratchOffset;
    private readonly int _scratchBytes;

    public Session(CompiledModel model, SessionOptions? options = null)
    {
        options ??= new SessionOptions();
        ThreadCount = CheckedThreadCount(options);
        Model = model;
        KernelPath = CpuFeatures.Current.Resolve(options.KernelPath);
        _operators = new Operator[model.Ops.Length];
        var prepare = new PrepareContext(KernelPath);
        for (int i = 0; i < model.Ops.Length; i++)
        {
            _operators[i] = OperatorFactory.Create(model.Ops[i], model);
            _operators[i].Prepare(prepare);
        }

        // The plan compiled into the model file (validated when it was attached) unless the caller picks a planner.
        Plan = options.Planner is null && model.Plan is { } stored
            ? stored
            : MemoryPlanBuilder.Build(model, options.Planner ?? new GreedyBySizePlanner(), options.InPlace, Alignment);
        long size = Plan.ArenaSize;
        _offsets = Plan.OffsetsByTensor(model.Tensors.Length);
        _scratchOffset = checked((int)((size + Alignment - 1) / Alignment * Alignment));
        _scratchBytes = prepare.ScratchBytes;
        PlannedArenaBytes = size;
        // One scratch slice per thread: the parts of a split op run at once.
        _arena = GC.AllocateUninitializedArray<byte>(checked(_scratchOffset + _scratchBytes * ThreadCount), pinned: true);
        _partsByOp = PartitionsByOp(ThreadCount);
        if (ThreadCount > 1) _workers = new SessionWorkers(ThreadCount - 1, InvokePart);
    }

    public CompiledModel Model { get; }

    /// <summary>The kernel family this session's operators were prepared for.</summary>
    public KernelPath KernelPath { get; }

    /// <summary>Where each arena tensor lives: the model's stored plan, or the one the session made.</summary>
    public MemoryPlan Plan { get; }

    /// <summary>Bytes of the arena used by activations (without scratch).</summary>
    public long PlannedArenaBytes { get; }

    /// <summary>Bytes of the whole arena: activations plus the largest scratch request, once per thread
    /// (<see cref="ThreadCount"/>).</summary>
    public long ArenaBytes => _arena.Length;

    /// <summary>Called after every op for each tensor it produced (and for the graph inputs), when set.</summary>
    public ITensorObserver? Observer { get; set; }

    /// <summary>Runs a model with one input and one output.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (Model.Inputs.Length != 1 || Model.Outputs.Length != 1)
            throw new InvalidOperationException($"the model has {Model.Inputs.Length} inputs and {Model.Outputs.Length} outputs; use the list overload");
        SetInput(0, input);
        Execute();
        GetOutput(0, output);
    }

    /// <summary>Runs a model with any number of inputs and outputs, in the order of <see cref="CompiledModel.Inputs"/>
    /// and <see cref="CompiledModel.Outputs"/>.</summary>
    public void Run(IReadOnlyList<ReadOnlyMemory<float>> inputs, IReadOnlyList<Memory<float>> outputs)
    {
        if (inputs.Count != Model.Inputs.Length) throw new ArgumentException($"the model has {Model.Inputs.Length} inputs, {inputs.Count} given", nameof(inputs));
        if (outputs.Count != Model.Outputs.Length) throw new ArgumentException($"the model has {Model.Outputs.Length} outputs, {outputs.Count} given", nameof(outputs));
        for (int i = 0; i < inputs.Count; i++) SetInput(i, inputs[i].Span);
        Execute();
        for (int i = 0; i < outputs.Count; i++) GetOutput(i, outputs[i].Span);
    }

    private void SetInput(int index, ReadOnlySpan<float> data)
    {
        int t = Model.Inputs[index];
        var info = Model.Tensors[t];
        if (info.Type is not (DataType.Float32 or DataType.Int8))
            throw new ArgumentException($"input '{info.Name}' is {info.Type}; Run takes Float32 data for Float32 and Int8 inputs only");
        if (data.Length != info.ElementCount)
            throw new ArgumentException($"input '{info.Name}' needs {info.ElementCount} floats ([{string.Join(',', info.Shape)}]), got {data.Length}");
        if (info.Type == DataType.Int8) QuantizeInput(info, data, ArenaSpan(t, info));
        else MemoryMarshal.AsBytes(data).CopyTo(ArenaSpan(t, info));
    }

    private void GetOutput(int index, Span<float> destination)
    {
        int t = Model.Outputs[index];
        var info = Model.Tensors[t];
        if (info.Type != DataType.Float32)
            throw new ArgumentException($"output '{info.Name}' is {info.Type}; Run takes and returns Float32 tensors only (quantized models dequantize their outputs inside)");
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"output '{info.Name}' has {info.ElementCount} floats ([{string.Join(',', info.Shape)}]), the buffer holds {destination.Length}");
        var source = info.Kind == TensorKind.Constant
            ? Model.ConstantBytes(t).Span
            : _arena.AsSpan((int)_offsets[t], (int)info.ByteLength);
        source.CopyTo(MemoryMarshal.AsBytes(destination));
    }

    private void Execute()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var observer = Observer;
        var weights = Model.Weights.Span;
        if (observer is not null)
            foreach (var t in Model.Inputs)
                observer.OnTensor(t, Model.Tensors[t], _arena.AsSpan((int)_offsets[t], (int)Model.Tensors[t].ByteLength));
        for (int i = 0; i < _operators.Length; i++)
        {
            var op = _operators[i];
            if (_partsByOp[i] > 1)
            {
                _workers!.Run(i, _partsByOp[i]);
            }
            else
            {
                var context = new RunContext(_arena, weights, _offsets, Model, op.Desc, _scratchOffset, _scratchBytes);
                op.Invoke(in context);
            }
            if (observer is not null)
                foreach (var t in op.Desc.Outputs)
                    observer.OnTensor(t, Model.Tensors[t], _arena.AsSpan((int)_offsets[t], (int)Model.Tensors[t].ByteLength));
        }
    }
}
