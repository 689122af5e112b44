namespace EdgeCnn.Runtime.Model;

public static partial class ModelReader
{
    /// <summary>
    /// Attaches the Quantization section's params to their tensors (replacing each tensor record with one
    /// that carries them). The reader checks the encoding: counts, tensor indices (in range, strictly
    /// ascending), channel counts and flags; whether the values fit the tensor (positive finite scales, zero
    /// points in range, a valid axis with one scale per channel) is <see cref="CompiledModel"/>'s validation.
    /// Version 1 records store every scale and zero point; version 2 records are compact (docs/model-format.md)
    /// and may derive a bias's scales from its op, which is why the ops are read first.
    /// </summary>
    private static void ReadQuantization(SectionCursor c, TensorInfo[] tensors, OpDesc[] ops, uint version)
    {
        if (version == 1) ReadQuantizationVersion1(c, tensors);
        else ReadQuantizationVersion2(c, tensors, ops);
    }

    private static void ReadQuantizationVersion1(SectionCursor c, TensorInfo[] tensors)
    {
        int count = c.ReadCount("record count", ModelFormat.QuantRecordFixedSize + ModelFormat.QuantChannelSize);
        int previous = -1;
        for (int i = 0; i < count; i++)
        {
            c.Context = $"quantization record {i}";
            uint index = c.ReadUInt32("tensor index");
            if (index >= (uint)tensors.Length)
                throw c.Fail($"tensor index {index} is out of range; the model has {tensors.Length} tensors");
            if ((int)index <= previous)
                throw c.Fail($"tensor index {index} is repeated or out of order (indices must ascend)");
            previous = (int)index;
            var tensor = tensors[index];
            c.Context = $"quantization record {i} (tensor {index} '{tensor.Name}')";

            int axis = c.ReadInt32("axis");
            int channels = c.ReadCount("channel count", ModelFormat.QuantChannelSize);
            if (channels == 0) throw c.Fail("channel count is 0; a quantization needs at least one scale");
            var scales = new float[channels];
            for (int k = 0; k < channels; k++) scales[k] = c.ReadSingle("scale");
            var zeroPoints = new int[channels];
            for (int k = 0; k < channels; k++) zeroPoints[k] = c.ReadInt32("zero point");
            tensors[index] = WithQuant(tensor, new QuantParams(scales, zeroPoints, axis));
        }
        c.ExpectEnd("quantization record");
    }

    private static void ReadQuantizationVersion2(SectionCursor c, TensorInfo[] tensors, OpDesc[] ops)
    {
        int count = c.ReadCount("record count", 2);
        int previous = -1;
        var derived = new List<(int Tensor, int Axis, int Channels, string Context)>();
        for (int i = 0; i < count; i++)
        {
            c.Context = $"quantization record {i}";
            uint gap = c.ReadVarUInt32("tensor index step");
            long index = (long)previous + 1 + gap;
            if (index >= tensors.Length)
                throw c.Fail($"tensor index {index} (previous {previous} + 1 + step {gap}) is out of range; the model has {tensors.Length} tensors");
            previous = (int)index;
            var tensor = tensors[index];
            c.Context = $"quantization record {i} (tensor {index} '{tensor.Name}')";

            var flags = (QuantRecordFlags)c.ReadByte("flags");
            if ((flags & ~QuantRecordFlagsExtensions.All) != 0)
                throw c.Fail($"flags 0x{(byte)flags:X2} has bits set that format version 2 does not define");
            int axis = -1, channels = 1;
            if ((flags & QuantRecordFlags.PerChannel) != 0)
            {
                axis = c.ReadByte("axis");
                uint n = c.ReadVarUInt32("channel count");
                if (n == 0) throw c.Fail("channel count is 0; a quantization needs at least one scale");
                int perChannel = (flags & QuantRecordFlags.DerivedScales) != 0 ? 0 : sizeof(float);
                perChannel += (flags & QuantRecordFlags.ZeroPoints) != 0 ? sizeof(int) : 0;
                if (perChannel > 0 && n > (uint)(c.Remaining / perChannel))
                    throw c.Fail($"channel count is {n}, but only {c.Remaining} bytes remain in the Quantization section ({perChannel} per channel)");
                if (perChannel == 0 && n > (uint)tensor.ElementCount)
                    throw c.Fail($"channel count is {n}, more than the tensor's {tensor.ElementCount} elements");
                channels = (int)n;
            }
            var zeroPoints = new int[channels];
            if ((flags & QuantRecordFlags.DerivedScales) != 0)
            {
                if ((flags & QuantRecordFlags.ZeroPoints) != 0) throw c.Fail("a bias with derived scales has zero point 0; it must not store zero points");
                derived.Add(((int)index, axis, channels, c.Context));
                continue;
            }
            var scales = new float[channels];
            for (int k = 0; k < channels; k++) scales[k] = c.ReadSingle("scale");
            if ((flags & QuantRecordFlags.ZeroPoints) != 0)
                for (int k = 0; k < channels; k++) zeroPoints[k] = c.ReadInt32("zero point");
            tensors[index] = WithQuant(tensor, new QuantParams(scales, zeroPoints, axis));
        }
        c.ExpectEnd("quantization record");
        foreach (var (tensor, axis, channels, context) in derived)
        {
            c.Context = context;
            tensors[tensor] = WithQuant(tensors[tensor], DeriveBiasQuant(ref c, tensors, ops, tensor, axis, channels));
        }
    }

    /// <summary>The bias scales s_x·s_w[c] (the product in double, rounded once to float32, as the quantizer
    /// computes them) from the first Conv2D or FullyConnected that reads the tensor as its bias.</summary>
    private static QuantParams DeriveBiasQuant(ref SectionCursor c, TensorInfo[] tensors, OpDesc[] ops, int bias, int axis, int channels)
    {
        var op = Array.Find(ops, o => o.Code is OpCode.Conv2D or OpCode.FullyConnected && o.Inputs.Length > 2 && o.Inputs[2] == bias)
            ?? throw c.Fail("the scales are marked as derived, but no Conv2D or FullyConnected reads the tensor as its bias");
        if (op.Inputs[0] < 0 || op.Inputs[1] < 0)
            throw c.Fail($"the scales are derived from op '{op.Name}', which lacks its input or weights");
        var x = tensors[op.Inputs[0]].Quant;
        var w = tensors[op.Inputs[1]].Quant;
        if (x is not { IsPerTensor: true } || w is null)
            throw c.Fail($"the scales are derived from op '{op.Name}', whose input '{tensors[op.Inputs[0]].Name}' is not quantized per tensor or whose weights '{tensors[op.Inputs[1]].Name}' are not quantized");
        if (w.IsPerTensor ? axis != -1 : (axis != 0 || channels != w.Scales.Length))
            throw c.Fail($"the derived scales follow the weights '{tensors[op.Inputs[1]].Name}' ({w}), but the record says axis {axis} with {channels} channels");
        var scales = new float[channels];
        for (int k = 0; k < channels; k++) scales[k] = (float)((double)x.Scale * w.Scales[k]);
        return new QuantParams(scales, new int[channels], axis);
    }

    private static TensorInfo WithQuant(TensorInfo tensor, QuantParams quant) =>
        new(tensor.Name, tensor.Type, tensor.Shape, tensor.Kind) { ConstantOffset = tensor.ConstantOffset, Quant = quant };
}
