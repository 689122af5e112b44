using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// Pads every axis by Pads[begin_a] / Pads[rank + a] elements (negative = crop) with a constant, a
/// reflection (numpy "reflect": the edge element is not repeated) or the edge element. Float32, or Int8 with
/// unchanged quantization, where the constant is Value quantized with the output's params.
/// </summary>
public sealed class PadOperator : Operator
{
    private AxisMapGatherReference.Plan? _plan;
    private float _value;
    private byte _int8Value;
    private int _elementSize;

    public PadOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        _elementSize = ExpectMovableElements(x, y);
        int rank = x.Rank;
        var mode = (PadMode)Read.Int(ParamKey.Mode, (int)PadMode.Constant);
        if (!Enum.IsDefined(mode)) throw Invalid($"unknown pad Mode {(int)mode}");
        _value = Read.Float(ParamKey.Value, 0f);
        if (_elementSize == 1)
            _int8Value = (byte)Qs8QuantizeReference.Quantize(_value, y.Quant!.Scale, y.Quant.ZeroPoint);
        var pads = Read.Ints(ParamKey.Pads);
        if (pads.Length != 2 * rank) throw Invalid($"Pads has {pads.Length} entries, the input '{x.Name}' of rank {rank} needs {2 * rank}");

        var expected = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            long dim = (long)x.Shape[a] + pads[a] + pads[rank + a];
            if (dim < 0) throw Invalid($"axis {a}: pads {pads[a]} and {pads[rank + a]} crop more than the dimension {x.Shape[a]}");
            expected[a] = (int)Math.Min(dim, int.MaxValue);
            if (mode != PadMode.Constant && x.Shape[a] == 0 && dim > 0)
                throw Invalid($"axis {a} is empty; {mode} padding has nothing to repeat");
        }
        ExpectShape(y, expected);
        if (y.ElementCount == 0) return;

        // Neighbouring axes without padding walk as one longer axis.
        var shape = new List<int>();
        var inShape = new List<int>();
        var begins = new List<int>();
        for (int a = 0; a < rank; a++)
        {
            bool unpadded = pads[a] == 0 && pads[rank + a] == 0;
            bool previousUnpadded = a > 0 && pads[a - 1] == 0 && pads[rank + a - 1] == 0;
            if (unpadded && previousUnpadded)
            {
                shape[^1] *= expected[a];
                inShape[^1] *= x.Shape[a];
            }
            else
            {
                shape.Add(expected[a]);
                inShape.Add(x.Shape[a]);
                begins.Add(pads[a]);
            }
        }

        if (shape.Count == 0)
        {
            // A scalar walks as one axis of length 1.
            shape.Add(1);
            inShape.Add(1);
            begins.Add(0);
        }

        var maps = new int[shape.Count][];
        for (int a = 0; a < shape.Count; a++)
        {
            maps[a] = new int[shape[a]];
            for (int o = 0; o < shape[a]; o++) maps[a][o] = MapCoordinate(o - begins[a], inShape[a], mode);
        }
        _plan = new AxisMapGatherReference.Plan(shape.ToArray(), ShapeMath.RowMajorStrides(inShape.ToArray()), maps);
    }

    public override void Invoke(in RunContext context)
    {
        if (_plan is null) return;
        if (_elementSize == 1) AxisMapGatherReference.Run(_plan, _int8Value, context.InputBytes(0), context.OutputBytes(0));
        else AxisMapGatherReference.Run(_plan, _value, context.Input(0), context.Output(0));
    }

    /// <summary>The input coordinate that supplies input-space coordinate i, or -1 for the constant.</summary>
    internal static int MapCoordinate(long i, int dim, PadMode mode)
    {
        if (i >= 0 && i < dim) return (int)i;
        switch (mode)
        {
            case PadMode.Edge:
                return i < 0 ? 0 : dim - 1;
            case PadMode.Reflect:
                if (dim == 1) return 0;
                long period = 2L * (dim - 1);
                long r = Math.Abs(i) % period;
                return (int)(r < dim ? r : period - r);
            default:
                return -1;
        }
    }
}
