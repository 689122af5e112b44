using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Operators;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// Runs the single op of a model directly — the factory's operator, Prepare, then Invoke over a test-owned
/// arena — so each tensor can be surrounded by guard bytes and each output pre-filled with a sentinel. The op
/// runs twice with different sentinels: equal results show every output byte was written; unchanged guards
/// and inputs show nothing was written outside the outputs.
/// </summary>
internal static class OpRunner
{
    private const int GuardBytes = 64;
    private const byte GuardValue = 0xC3;

    /// <summary>Runs op 0 with the model's graph inputs set to <paramref name="inputs"/> (in order); returns the
    /// bytes of each op output.</summary>
    public static byte[][] Run(CompiledModel model, params byte[][] inputs)
    {
        var op = OperatorFactory.Create(model.Ops[0], model);
        var prepare = new PrepareContext();
        op.Prepare(prepare);
        var first = RunOnce(model, op, prepare.ScratchBytes, inputs, 0xA5);
        var second = RunOnce(model, op, prepare.ScratchBytes, inputs, 0x3C);
        for (int o = 0; o < first.Length; o++)
            Assert.True(first[o].AsSpan().SequenceEqual(second[o]), $"output {o} depends on the sentinel: some bytes were not written");
        return first;
    }

    public static sbyte[] RunInt8(CompiledModel model, params byte[][] inputs) => ToSbytes(Run(model, inputs)[0]);

    public static byte[] Bytes(sbyte[] values) => values.Select(v => (byte)v).ToArray();

    public static sbyte[] ToSbytes(byte[] bytes) => bytes.Select(b => (sbyte)b).ToArray();

    private static byte[][] RunOnce(CompiledModel model, Operator op, int scratchBytes, byte[][] inputs, byte sentinel)
    {
        var desc = model.Ops[0];
        var offsets = new long[model.Tensors.Length];
        long position = GuardBytes;
        for (int t = 0; t < model.Tensors.Length; t++)
        {
            if (model.Tensors[t].Kind == TensorKind.Constant) continue;
            offsets[t] = position;
            position += model.Tensors[t].ByteLength + GuardBytes;
        }
        int scratchOffset = (int)((position + 15) / 16 * 16);
        var arena = new byte[scratchOffset + scratchBytes + GuardBytes];
        Array.Fill(arena, GuardValue);
        var owned = new bool[arena.Length];

        Assert.Equal(model.Inputs.Length, inputs.Length);
        for (int i = 0; i < inputs.Length; i++)
        {
            var info = model.Tensors[model.Inputs[i]];
            Assert.Equal(info.ByteLength, inputs[i].Length);
            inputs[i].CopyTo(arena, offsets[model.Inputs[i]]);
        }
        foreach (int o in desc.Outputs)
        {
            arena.AsSpan((int)offsets[o], (int)model.Tensors[o].ByteLength).Fill(sentinel);
            owned.AsSpan((int)offsets[o], (int)model.Tensors[o].ByteLength).Fill(true);
        }
        arena.AsSpan(scratchOffset, scratchBytes).Fill(0xEE);
        owned.AsSpan(scratchOffset, scratchBytes).Fill(true);
        var before = (byte[])arena.Clone();

        var context = new RunContext(arena, model.Weights.Span, offsets, model, desc, scratchOffset, scratchBytes);
        op.Invoke(in context);

        for (int i = 0; i < arena.Length; i++)
            if (!owned[i] && arena[i] != before[i])
                Assert.Fail($"op '{desc.Name}' ({desc.Code}) wrote byte {i} of the arena, outside its outputs and scratch");
        return desc.Outputs.Select(o => arena.AsSpan((int)offsets[o], (int)model.Tensors[o].ByteLength).ToArray()).ToArray();
    }
}
