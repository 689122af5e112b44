using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// ONNX Resize over any rank: output coordinates map to input coordinates by the coordinate mode and the
/// per-axis Scales; nearest rounds by the nearest mode, linear interpolates separably along every resized
/// axis. An axis with scale 1 and unchanged size is left alone in every mode (as ONNX Runtime does), even
/// where tf_half_pixel_for_nn's half-pixel shift would otherwise move it. Out-of-range neighbours take the edge value, which is also what
/// exclude_outside gives for two-tap linear weights, so it needs no separate path. Nearest also moves Int8
/// data with unchanged quantization; int8 linear is <see cref="Quantized.Qs8ResizeLinearOperator"/>.
/// </summary>
public sealed class ResizeOperator : Operator
{
    private AxisMapGatherReference.Plan? _nearest;
    private F32ResizeLinearReference.Pass[] _passes = [];
    private bool _linear;
    private bool _empty;
    private int _elementSize;

    public ResizeOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        _elementSize = ExpectMovableElements(x, y);
        int rank = x.Rank;
        if (y.Rank != rank || rank == 0) throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} and output '{y.Name}' {ShapeMath.Text(y.Shape)} need the same rank ≥ 1");
        var mode = (ResizeMode)Read.Int(ParamKey.Mode, (int)ResizeMode.Nearest);
        var coordinates = (ResizeCoordinateMode)Read.Int(ParamKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel);
        var nearest = (ResizeNearestMode)Read.Int(ParamKey.NearestMode, (int)ResizeNearestMode.RoundPreferFloor);
        if (!Enum.IsDefined(mode)) throw Invalid($"unknown resize Mode {(int)mode}");
        if (!Enum.IsDefined(coordinates)) throw Invalid($"unknown CoordinateMode {(int)coordinates}");
        if (!Enum.IsDefined(nearest)) throw Invalid($"unknown NearestMode {(int)nearest}");
        _ = Read.Flag(ParamKey.ExcludeOutside, false);
        var scales = ResizeAxes.ReadScales(Desc, x, y);
        bool Unscaled(int axis) => scales[axis] == 1.0 && x.Shape[axis] == y.Shape[axis];
        _linear = mode == ResizeMode.Linear;
        if (_linear && _elementSize == 1) throw Invalid("linear Resize has no int8 variant (only nearest moves Int8 values unchanged)");
        _empty = y.ElementCount == 0;
        if (_empty) return;

        if (!_linear)
        {
            var maps = new int[rank][];
            for (int a = 0; a < rank; a++)
            {
                maps[a] = new int[y.Shape[a]];
                for (int o = 0; o < y.Shape[a]; o++)
                {
                    maps[a][o] = Unscaled(a)
                        ? o
                        : Math.Clamp(NearestIndex(SourceCoordinate(coordinates, o, scales[a], x.Shape[a]), nearest), 0, x.Shape[a] - 1);
                }
            }
            _nearest = new AxisMapGatherReference.Plan((int[])y.Shape.Clone(), ShapeMath.RowMajorStrides(x.Shape), maps);
            return;
        }

        var passes = new List<F32ResizeLinearReference.Pass>();
        var current = (int[])x.Shape.Clone();
        for (int a = 0; a < rank; a++)
        {
            if (Unscaled(a)) continue;
            int inLength = x.Shape[a], outLength = y.Shape[a];
            var lower = new int[outLength];
            var upper = new int[outLength];
            var weight = new float[outLength];
            bool identity = inLength == outLength;
            for (int o = 0; o < outLength; o++)
            {
                var (low, high, fraction) = ResizeAxes.LinearTap(coordinates, o, scales[a], inLength);
                (lower[o], upper[o], weight[o]) = (low, high, (float)fraction);
                identity &= lower[o] == o && weight[o] == 0f;
            }
            if (identity) continue;
            passes.Add(new F32ResizeLinearReference.Pass(ShapeMath.Product(current, 0, a), inLength, outLength,
                ShapeMath.Product(current, a + 1, rank), lower, upper, weight));
            current[a] = outLength;
        }
        _passes = passes.ToArray();
        var (first, second) = F32ResizeLinearReference.ScratchFloats(_passes);
        context.RequestScratch(checked((first + second) * sizeof(float)));
    }

    public override void Invoke(in RunContext context)
    {
        if (_empty) return;
        if (_linear) F32ResizeLinearReference.Run(_passes, context.Input(0), context.Output(0), context.ScratchFloats);
        else if (_elementSize == 1) AxisMapGatherReference.Run(_nearest!, (byte)0, context.InputBytes(0), context.OutputBytes(0));
        else AxisMapGatherReference.Run(_nearest!, 0f, context.Input(0), context.Output(0));
    }

    /// <summary>Split by output rows: nearest by runs of the inner axis, linear by the first resized axis's output
    /// rows (each part runs the pass chain on its block with its own scratch). Every value is computed as in the
    /// whole op, so the bytes are identical.</summary>
    public override int Partitions(int threads)
    {
        if (_empty || (_linear && _passes.Length == 0)) return 1;
        long elements = OutputInfo(0).ElementCount;
        return _linear
            ? RangeSplit.Parts(F32ResizeLinearReference.Rows(_passes), threads, elements * 2 * _passes.Length)
            : RangeSplit.Parts(NearestRows, threads, elements);
    }

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        if (_empty) return;
        if (_linear)
        {
            var (first, end) = RangeSplit.Range(F32ResizeLinearReference.Rows(_passes), part, parts);
            F32ResizeLinearReference.Run(_passes, context.Input(0), context.Output(0), context.ScratchFloats, first, end);
            return;
        }
        var (begin, stop) = RangeSplit.Range(NearestRows, part, parts);
        if (_elementSize == 1) AxisMapGatherReference.Run(_nearest!, (byte)0, context.InputBytes(0), context.OutputBytes(0), begin, stop);
        else AxisMapGatherReference.Run(_nearest!, 0f, context.Input(0), context.Output(0), begin, stop);
    }

    /// <summary>Runs of the inner axis in the output (the rows nearest mode's gather walks).</summary>
    private int NearestRows => checked((int)(OutputInfo(0).ElementCount / OutputInfo(0).Shape[^1]));

    /// <summary>ONNX coordinate_transformation_mode: the input coordinate of output coordinate o. As in ONNX's
    /// reference, align_corners and pytorch_half_pixel measure the resized length as scale·inLength (not the
    /// rounded output size), which matters when the scale does not divide evenly.</summary>
    internal static double SourceCoordinate(ResizeCoordinateMode mode, int o, double scale, int inLength)
    {
        double resizedLength = scale * inLength;
        return mode switch
        {
            ResizeCoordinateMode.HalfPixel => (o + 0.5) / scale - 0.5,
            ResizeCoordinateMode.PytorchHalfPixel => resizedLength == 1 ? -0.5 : (o + 0.5) / scale - 0.5,
            ResizeCoordinateMode.AlignCorners => resizedLength == 1 ? 0.0 : o * (double)(inLength - 1) / (resizedLength - 1),
            ResizeCoordinateMode.Asymmetric => o / scale,
            ResizeCoordinateMode.TfHalfPixelForNn => (o + 0.5) / scale,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown coordinate mode"),
        };
    }

    /// <summary>ONNX nearest_mode; an exact integer coordinate is itself in every mode.</summary>
    internal static int NearestIndex(double x, ResizeNearestMode mode)
    {
        double floor = Math.Floor(x);
        double fraction = x - floor;
        double index = mode switch
        {
            ResizeNearestMode.RoundPreferFloor => fraction > 0.5 ? floor + 1 : floor,
            ResizeNearestMode.RoundPreferCeil => fraction >= 0.5 ? floor + 1 : floor,
            ResizeNearestMode.Floor => floor,
            ResizeNearestMode.Ceil => Math.Ceiling(x),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown nearest mode"),
        };
        return (int)Math.Clamp(index, int.MinValue, int.MaxValue);
    }
}
