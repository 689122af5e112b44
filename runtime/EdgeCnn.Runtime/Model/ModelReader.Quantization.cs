namespace EdgeCnn.Runtime.Model;

public static partial class ModelReader
{
    /// <summary>
    /// Attaches the Quantization section's params to their tensors (replacing each tensor record with one
    /// that carries them). The reader checks the encoding: counts, tensor indices (in range, strictly
    /// ascending) and channel counts; whether the values fit the tensor (positive finite scales, zero points
    /// in range, a valid axis with one scale per channel) is <see cref="CompiledModel"/>'s validation.
    /// </summary>
    private static void ReadQuantization(SectionCursor c, TensorInfo[] tensors)
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

            tensors[index] = new TensorInfo(tensor.Name, tensor.Type, tensor.Shape, tensor.Kind)
            {
                ConstantOffset = tensor.ConstantOffset,
                Quant = new QuantParams(scales, zeroPoints, axis),
            };
        }
        c.ExpectEnd("quantization record");
    }
}
