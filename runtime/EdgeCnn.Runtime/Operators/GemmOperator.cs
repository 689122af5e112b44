using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// Y = act(Alpha·op(A)·op(B) + Beta·C) with op = optional transpose and C unidirectionally broadcast to
/// [M,N]. A transposed A is read through strides; a transposed B is repacked to [K,N] once when it is a
/// constant, otherwise into scratch on every run.
/// </summary>
public sealed class GemmOperator : Operator
{
    private int _m, _n, _k;
    private int _aRowStride, _aColStride;
    private bool _transB;
    private float[]? _packedB;
    private float _alpha, _beta;
    private bool _hasC, _cAsBias;
    private int _cRowStride, _cColStride;
    private FusedActivation _activation;

    public GemmOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 3);
        ExpectOutputs(1);
        var a = InputInfo(0);
        var b = InputInfo(1);
        var y = OutputInfo(0);
        ExpectFloat(a);
        ExpectFloat(b);
        ExpectFloat(y);
        ExpectRank(a, 2);
        ExpectRank(b, 2);
        bool transA = Read.Flag(ParamKey.TransA, false);
        _transB = Read.Flag(ParamKey.TransB, false);
        _m = transA ? a.Shape[1] : a.Shape[0];
        _k = transA ? a.Shape[0] : a.Shape[1];
        int kb = _transB ? b.Shape[1] : b.Shape[0];
        _n = _transB ? b.Shape[0] : b.Shape[1];
        if (kb != _k) throw Invalid($"op(A) is [{_m},{_k}] but op(B) is [{kb},{_n}]: inner dimensions differ");
        ExpectShape(y, _m, _n);
        (_aRowStride, _aColStride) = transA ? (1, _m) : (_k, 1);

        _alpha = Read.Float(ParamKey.Alpha, 1f);
        _beta = Read.Float(ParamKey.Beta, 1f);
        _activation = ReadActivation();

        _hasC = HasInput(2);
        if (_hasC)
        {
            var c = InputInfo(2);
            ExpectFloat(c);
            var strides = c.Rank <= 2 ? ShapeMath.BroadcastStrides(c.Shape, [_m, _n]) : null;
            if (strides is null) throw Invalid($"C '{c.Name}' {ShapeMath.Text(c.Shape)} does not broadcast to [{_m},{_n}]");
            (_cRowStride, _cColStride) = (strides[0], strides[1]);
            // A per-column C enters the kernel as its bias when nothing scales it.
            _cAsBias = _alpha == 1f && _beta == 1f && _cRowStride == 0 && _cColStride == 1;
        }

        if (_transB)
        {
            if (b.Kind == TensorKind.Constant)
            {
                _packedB = new float[_k * _n];
                StridedCopyReference.Copy<float>(Model.ConstantFloats(Desc.Inputs[1]), 0, [_k, _n], [1, _k], _packedB);
            }
            else
            {
                context.RequestScratch(checked(_k * _n * sizeof(float)));
            }
        }
    }

    public override void Invoke(in RunContext context)
    {
        var y = context.Output(0);
        ReadOnlySpan<float> b = context.Input(1);
        if (_transB)
        {
            if (_packedB is not null)
            {
                b = _packedB;
            }
            else
            {
                var scratch = context.ScratchFloats.Slice(0, _k * _n);
                StridedCopyReference.Copy<float>(b, 0, [_k, _n], [1, _k], scratch);
                b = scratch;
            }
        }
        ReadOnlySpan<float> bias = _cAsBias ? context.Input(2) : default;
        F32GemmVector.Multiply(context.Input(0), _aRowStride, _aColStride, b, bias, y, _m, _n, _k);

        if (_hasC && !_cAsBias) AddScaledC(y, context.Input(2));
        else if (_alpha != 1f) Scale(y, _alpha);
        _activation.ApplyInPlace(y);
    }

    private void AddScaledC(Span<float> y, ReadOnlySpan<float> c)
    {
        for (int i = 0; i < _m; i++)
        {
            var row = y.Slice(i * _n, _n);
            int cBase = i * _cRowStride;
            for (int j = 0; j < row.Length; j++) row[j] = _alpha * row[j] + _beta * c[cBase + j * _cColStride];
        }
    }

    private static void Scale(Span<float> y, float factor)
    {
        for (int i = 0; i < y.Length; i++) y[i] *= factor;
    }

    private FusedActivation ReadActivation()
    {
        // Alpha and Beta are Gemm's own scalars here, so a fused activation cannot carry parameters of its own.
        var kind = (ActivationKind)Read.Int(ParamKey.Activation, 0);
        if (!F32Activation.IsKnown(kind)) throw Invalid($"unknown Activation {(int)kind}");
        if (kind is ActivationKind.Clip or ActivationKind.LeakyRelu or ActivationKind.HardSigmoid or ActivationKind.Elu)
            throw Invalid($"a fused {kind} needs Alpha/Beta, which Gemm uses for its own scalars; lower it to FullyConnected or a separate Unary op");
        return new FusedActivation(kind, F32Activation.DefaultAlpha(kind), F32Activation.DefaultBeta(kind));
    }
}
