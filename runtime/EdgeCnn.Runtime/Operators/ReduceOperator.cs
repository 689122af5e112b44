using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Reduces over Axes (empty = every axis) with any <see cref="ReduceKind"/>; KeepDims keeps them as size 1.</summary>
public sealed class ReduceOperator : Operator
{
    private ReduceKind _kind;
    private int[] _shape = [];
    private int[] _outputStrides = [];
    private int _reducedCount;

    public ReduceOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectFloat(x);
        ExpectFloat(y);
        _kind = (ReduceKind)Read.Int(ParamKey.Kind);
        if (!Enum.IsDefined(_kind)) throw Invalid($"unknown reduce Kind {(int)_kind}");
        bool keepDims = Read.Flag(ParamKey.KeepDims, true);

        int rank = x.Rank;
        var axes = Read.Ints(ParamKey.Axes, []);
        var reduced = new bool[rank];
        if (axes.Length == 0) Array.Fill(reduced, true);
        for (int i = 0; i < axes.Length; i++)
        {
            if ((uint)axes[i] >= (uint)rank || (i > 0 && axes[i] <= axes[i - 1]))
                throw Invalid($"Axes [{string.Join(',', axes)}] must be ascending and within 0..{rank - 1}");
            reduced[axes[i]] = true;
        }

        var expected = new List<int>();
        var keptShape = new int[rank];
        _reducedCount = 1;
        for (int a = 0; a < rank; a++)
        {
            if (reduced[a]) _reducedCount *= x.Shape[a];
            keptShape[a] = reduced[a] ? 1 : x.Shape[a];
            if (!reduced[a] || keepDims) expected.Add(keptShape[a]);
        }
        ExpectShape(y, expected.ToArray());

        // Output strides over the kept-dims shape are the same memory as the squeezed output.
        var outputStrides = ShapeMath.RowMajorStrides(keptShape);
        for (int a = 0; a < rank; a++)
            if (reduced[a]) outputStrides[a] = 0;
        (_shape, var strides) = ShapeMath.Coalesce(x.Shape, ShapeMath.RowMajorStrides(x.Shape), outputStrides);
        _outputStrides = strides[1];
        context.RequestScratch(checked((int)y.ElementCount * sizeof(double)));
    }

    public override void Invoke(in RunContext context)
    {
        var y = context.Output(0);
        var accumulator = MemoryMarshal.Cast<byte, double>(context.Scratch);
        F32ReduceReference.Run(_kind, context.Input(0), _shape, _outputStrides, _reducedCount, accumulator, y);
    }
}
