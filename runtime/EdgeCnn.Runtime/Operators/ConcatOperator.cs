using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Operators.Quantized;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Joins any number of inputs along Axis; every other dimension must agree. Float32, or Int8 (per-tensor
/// quantization): an input quantized like the output is copied byte for byte, any other is requantized
/// (<see cref="Qs8RequantizeReference"/>, by the session path's <see cref="Qs8RescaleKernel"/> when it has one).</summary>
public sealed class ConcatOperator : Operator
{
    private int[] _blocks = [];
    private int[] _offsets = [];
    private int _outerCount;
    private int _outputBlock;
    private bool _int8;
    private Rescale[] _rescales = [];
    private Qs8RescaleKernel?[] _rescaleKernels = [];

    /// <summary>How an int8 input reaches the output's quantization; Identity inputs are copied.</summary>
    private readonly record struct Rescale(bool Identity, int InputZeroPoint, int Multiplier, int Shift);

    public ConcatOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        if (Desc.Inputs.Length == 0) throw Invalid("has no inputs");
        ExpectInputs(Desc.Inputs.Length, Desc.Inputs.Length);
        ExpectOutputs(1);
        var y = OutputInfo(0);
        _int8 = y.Type == DataType.Int8;
        var qy = _int8 ? Qs8Params.PerTensor(Desc, y) : null;
        if (!_int8) ExpectFloat(y);
        int rank = y.Rank;
        int axis = Read.Axis(rank, "output");

        int inner = ShapeMath.Product(y.Shape, axis + 1, rank);
        _outerCount = ShapeMath.Product(y.Shape, 0, axis);
        _outputBlock = y.Shape[axis] * inner;
        _blocks = new int[Desc.Inputs.Length];
        _offsets = new int[Desc.Inputs.Length];
        _rescales = new Rescale[Desc.Inputs.Length];
        _rescaleKernels = new Qs8RescaleKernel?[Desc.Inputs.Length];
        int along = 0;
        for (int i = 0; i < Desc.Inputs.Length; i++)
        {
            var x = InputInfo(i);
            if (qy is null)
            {
                ExpectFloat(x);
            }
            else
            {
                var qx = Qs8Params.PerTensor(Desc, x);
                bool identity = qx.Scale == qy.Scale && qx.ZeroPoint == qy.ZeroPoint;
                var (multiplier, shift) = identity ? (0, 0) : Qs8RequantizeReference.Prepare(qx.Scale, qy.Scale);
                _rescales[i] = new Rescale(identity, qx.ZeroPoint, multiplier, shift);
                if (!identity) _rescaleKernels[i] = Qs8RescaleKernel.TryCreate(context.Path, qx.ZeroPoint, multiplier, shift, qy.ZeroPoint);
            }
            if (x.Rank != rank) throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} has another rank than the output {ShapeMath.Text(y.Shape)}");
            for (int a = 0; a < rank; a++)
                if (a != axis && x.Shape[a] != y.Shape[a])
                    throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} differs from the output {ShapeMath.Text(y.Shape)} outside axis {axis}");
            _offsets[i] = along * inner;
            _blocks[i] = x.Shape[axis] * inner;
            along += x.Shape[axis];
        }
        if (along != y.Shape[axis]) throw Invalid($"the inputs add up to {along} along axis {axis}, the output '{y.Name}' has {y.Shape[axis]}");
    }

    public override void Invoke(in RunContext context)
    {
        if (_int8)
        {
            InvokeInt8(context);
            return;
        }
        var output = context.Output(0);
        for (int i = 0; i < _blocks.Length; i++)
            BlockCopyReference.Copy(context.Input(i), 0, _blocks[i], output, _offsets[i], _outputBlock, _blocks[i], _outerCount);
    }

    private void InvokeInt8(in RunContext context)
    {
        var output = context.Output<sbyte>(0);
        int zeroPoint = OutputInfo(0).Quant!.ZeroPoint;
        for (int i = 0; i < _blocks.Length; i++)
        {
            var input = context.Input<sbyte>(i);
            var r = _rescales[i];
            if (r.Identity)
            {
                BlockCopyReference.Copy(input, 0, _blocks[i], output, _offsets[i], _outputBlock, _blocks[i], _outerCount);
                continue;
            }
            int block = _blocks[i];
            var kernel = _rescaleKernels[i];
            for (int b = 0; b < _outerCount && block > 0; b++)
                if (kernel is not null) kernel.Run(input.Slice(b * block, block), output.Slice(_offsets[i] + b * _outputBlock, block));
                else Qs8RequantizeReference.Run(input.Slice(b * block, block), r.InputZeroPoint, r.Multiplier, r.Shift, zeroPoint,
                    output.Slice(_offsets[i] + b * _outputBlock, block));
        }
    }
}
