using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.Resize"/> in linear mode on int8 data with the same quantization in and out
/// (<see cref="Qs8ResizeLinearReference"/>): every coordinate mode of the float <see cref="ResizeOperator"/>, with
/// the same taps, over at most two resized axes (an NHWC image's height and width). Axes with scale 1 and
/// unchanged size are left alone, as in the float op.
/// </summary>
public sealed class Qs8ResizeLinearOperator : Operator
{
    private Qs8ResizeLinearReference.Plan? _plan;
    private int _zeroPoint;

    public Qs8ResizeLinearOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        Qs8Params.ExpectSameQuant(Desc, x, y);
        _zeroPoint = x.Quant!.ZeroPoint;
        int rank = x.Rank;
        if (y.Rank != rank || rank == 0) throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} and output '{y.Name}' {ShapeMath.Text(y.Shape)} need the same rank ≥ 1");
        var mode = (ResizeMode)Read.Int(ParamKey.Mode, (int)ResizeMode.Nearest);
        if (mode != ResizeMode.Linear) throw Invalid($"the int8 linear operator got Resize mode {mode}");
        var coordinates = (ResizeCoordinateMode)Read.Int(ParamKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel);
        if (!Enum.IsDefined(coordinates)) throw Invalid($"unknown CoordinateMode {(int)coordinates}");
        _ = Read.Flag(ParamKey.ExcludeOutside, false);
        var scales = ResizeAxes.ReadScales(Desc, x, y);
        if (y.ElementCount == 0)
        {
            _plan = null;
            return;
        }

        var resized = new List<(int Index, Qs8ResizeLinearReference.Axis Taps)>();
        for (int a = 0; a < rank; a++)
        {
            int inLength = x.Shape[a], outLength = y.Shape[a];
            if (scales[a] == 1.0 && inLength == outLength) continue;
            var lower = new int[outLength];
            var upper = new int[outLength];
            var weight = new int[outLength];
            bool identity = inLength == outLength;
            for (int o = 0; o < outLength; o++)
            {
                var (low, high, fraction) = ResizeAxes.LinearTap(coordinates, o, scales[a], inLength);
                (lower[o], upper[o], weight[o]) = (low, high, Qs8ResizeLinearReference.Weight(fraction));
                identity &= low == o && weight[o] == 0;
            }
            if (!identity) resized.Add((a, new Qs8ResizeLinearReference.Axis(inLength, lower, upper, weight)));
        }
        if (resized.Count > 2)
            throw Invalid($"int8 linear Resize interpolates at most two axes; '{x.Name}' {ShapeMath.Text(x.Shape)} → {ShapeMath.Text(y.Shape)} resizes {resized.Count}");

        // Axes between and around the resized ones keep their length.
        int firstAxis = resized.Count > 0 ? resized[0].Index : rank - 1;
        int secondAxis = resized.Count > 1 ? resized[1].Index : rank;
        var first = resized.Count > 0 ? resized[0].Taps : Qs8ResizeLinearReference.Axis.Unit;
        var second = resized.Count > 1 ? resized[1].Taps : Qs8ResizeLinearReference.Axis.Unit;
        int outer = ShapeMath.Product(x.Shape, 0, firstAxis);
        int middle = ShapeMath.Product(x.Shape, Math.Min(firstAxis + 1, rank), Math.Min(secondAxis, rank));
        int inner = ShapeMath.Product(x.Shape, Math.Min(secondAxis + 1, rank), rank);
        if (resized.Count == 0) (outer, middle, inner) = (1, 1, checked((int)x.ElementCount));
        _plan = new Qs8ResizeLinearReference.Plan(outer, first, middle, second, inner);
    }

    public override void Invoke(in RunContext context)
    {
        if (_plan is null) return;
        Qs8ResizeLinearReference.Run(_plan, _zeroPoint, context.Input<sbyte>(0), context.Output<sbyte>(0));
    }

    /// <summary>Split by output rows of the first resized axis (an image's output rows): each output element is computed
    /// from its own four taps, whichever part it lands in.</summary>
    public override int Partitions(int threads) => _plan is null ? 1
        : RangeSplit.Parts(Rows, threads, _plan.OutputCount * WorkPerElement);

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        if (_plan is null) return;
        var (begin, end) = RangeSplit.Range(Rows, part, parts);
        Qs8ResizeLinearReference.Run(_plan, _zeroPoint, context.Input<sbyte>(0), context.Output<sbyte>(0), begin, end);
    }

    private int Rows => _plan!.Outer * _plan.First.OutputLength;

    /// <summary>Four taps, three blends and a rounding per element.</summary>
    private const int WorkPerElement = 8;
}
