using System.Text;
using System.Text.Unicode;

namespace EdgeCnn.Runtime.Model;

public static partial class ModelReader
{
    private static string[] ReadStrings(SectionCursor c)
    {
        int count = c.ReadCount("string count", sizeof(uint));
        var strings = new string[count];
        for (int i = 0; i < count; i++)
        {
            c.Context = $"string {i}";
            int length = c.ReadCount("byte length", 1);
            var bytes = c.ReadBytes(length, "text");
            if (!Utf8.IsValid(bytes)) throw c.Fail("the text is not valid UTF-8");
            strings[i] = Encoding.UTF8.GetString(bytes);
        }
        c.ExpectEnd("string");
        return strings;
    }

    private static TensorInfo[] ReadTensors(SectionCursor c, string[] strings, int weightsLength)
    {
        int count = c.ReadCount("tensor count", ModelFormat.TensorRecordFixedSize);
        var tensors = new TensorInfo[count];
        var names = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            c.Context = $"tensor {i}";
            string name = ReadName(ref c, strings);
            c.Context = $"tensor {i} '{name}'";

            byte type = c.ReadByte("data type");
            if (!DataTypeExtensions.IsDefined((DataType)type)) throw c.Fail($"data type {type} is unknown");
            byte kind = c.ReadByte("kind");
            if (kind > (byte)TensorKind.Constant) throw c.Fail($"kind {kind} is unknown (0 = activation, 1 = input, 2 = constant)");
            byte rank = c.ReadByte("rank");
            if (rank > ModelFormat.MaxRank) throw c.Fail($"rank {rank} exceeds the maximum of {ModelFormat.MaxRank}");
            c.ReadReserved("reserved byte");
            ulong constantOffset = c.ReadUInt64("constant offset");

            var shape = new int[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++)
            {
                int dim = c.ReadInt32("dimension");
                if (dim < 0) throw c.Fail($"dimension {d} is {dim}; dimensions must not be negative");
                shape[d] = dim;
                // Checked per step: later zero dims must not hide an overflow the TensorInfo constructor would hit.
                elements *= dim;
                if (elements > int.MaxValue) throw c.Fail($"shape [{string.Join(',', shape[..(d + 1)])}...] has more than {int.MaxValue} elements");
            }
            long bytes = elements * ((DataType)type).SizeInBytes();
            if (bytes > int.MaxValue) throw c.Fail($"shape [{string.Join(',', shape)}] of {(DataType)type} needs {bytes} bytes; tensors of 2 GiB or more are not supported");

            if (kind == (byte)TensorKind.Constant)
            {
                if (constantOffset % ModelFormat.Alignment != 0)
                    throw c.Fail($"constant offset {constantOffset} is not {ModelFormat.Alignment}-byte aligned");
                if (constantOffset > (ulong)weightsLength || (ulong)bytes > (ulong)weightsLength - constantOffset)
                    throw c.Fail($"constant offset {constantOffset} + {bytes} bytes lies outside the {weightsLength}-byte weight blob");
            }
            else if (constantOffset != 0)
            {
                throw c.Fail($"constant offset is {constantOffset}, but only constant tensors have one (it must be 0)");
            }

            if (!names.TryAdd(name, i)) throw c.Fail($"the name is already used by tensor {names[name]}");
            tensors[i] = new TensorInfo(name, (DataType)type, shape, (TensorKind)kind) { ConstantOffset = (long)constantOffset };
        }
        c.ExpectEnd("tensor");
        return tensors;
    }

    private static OpDesc[] ReadOps(SectionCursor c, string[] strings, int tensorCount)
    {
        int count = c.ReadCount("op count", ModelFormat.OpRecordFixedSize);
        var ops = new OpDesc[count];
        for (int i = 0; i < count; i++)
        {
            c.Context = $"op {i}";
            ushort code = c.ReadUInt16("op code");
            if (!Enum.IsDefined((OpCode)code)) throw c.Fail($"op code {code} is unknown");
            int paramCount = c.ReadUInt16("parameter count");
            string name = ReadName(ref c, strings);
            c.Context = $"op {i} '{name}' ({(OpCode)code})";

            int inputCount = c.ReadCount("input count", sizeof(int));
            int outputCount = c.ReadCount("output count", sizeof(int));
            var inputs = new int[inputCount];
            for (int k = 0; k < inputCount; k++)
            {
                inputs[k] = c.ReadInt32("input tensor index");
                if (inputs[k] != -1 && (uint)inputs[k] >= (uint)tensorCount)
                    throw c.Fail($"input {k} refers to tensor {inputs[k]}, but the model has {tensorCount} tensors (-1 marks an absent input)");
            }
            var outputs = new int[outputCount];
            for (int k = 0; k < outputCount; k++)
            {
                outputs[k] = c.ReadInt32("output tensor index");
                if ((uint)outputs[k] >= (uint)tensorCount)
                    throw c.Fail($"output {k} refers to tensor {outputs[k]}, but the model has {tensorCount} tensors");
            }

            if (paramCount > c.Remaining / ModelFormat.ParamFixedSize)
                throw c.Fail($"parameter count {paramCount} does not fit in the remaining {c.Remaining} bytes of the Ops section");
            var parameters = new OpParams();
            int previousKey = -1;
            for (int p = 0; p < paramCount; p++)
                previousKey = ReadParam(ref c, parameters, p, previousKey);
            ops[i] = new OpDesc((OpCode)code, name, inputs, outputs, parameters);
        }
        c.ExpectEnd("op");
        return ops;
    }

    /// <summary>Reads one parameter into <paramref name="parameters"/> and returns its key. Keys must ascend
    /// strictly, which rules out a repeated key that would silently overwrite an earlier value.</summary>
    private static int ReadParam(ref SectionCursor c, OpParams parameters, int index, int previousKey)
    {
        ushort rawKey = c.ReadUInt16("parameter key");
        var key = (ParamKey)rawKey;
        if (!Enum.IsDefined(key)) throw c.Fail($"parameter {index} has unknown key {rawKey}");
        if (rawKey <= previousKey) throw c.Fail($"parameter {key} is repeated or out of order (keys must ascend)");
        byte kind = c.ReadByte("parameter value kind");
        var expected = key.IsFloat() ? ParamValueKind.Float32List : ParamValueKind.Int32List;
        if (kind != (byte)expected) throw c.Fail($"parameter {key} has value kind {kind}, but {key} holds {expected} ({(byte)expected})");
        c.ReadReserved("parameter reserved byte");
        int count = c.ReadCount("parameter value count", sizeof(int));
        if (expected == ParamValueKind.Float32List)
        {
            var values = new float[count];
            for (int v = 0; v < count; v++) values[v] = c.ReadSingle("parameter value");
            parameters.Set(key, values);
        }
        else
        {
            var values = new int[count];
            for (int v = 0; v < count; v++) values[v] = c.ReadInt32("parameter value");
            parameters.Set(key, values);
        }
        return rawKey;
    }

    private static (int[] Inputs, int[] Outputs) ReadGraph(SectionCursor c, TensorInfo[] tensors)
    {
        c.Context = "graph inputs";
        var inputs = ReadTensorList(ref c, tensors, "input");
        foreach (var t in inputs)
            if (tensors[t].Kind != TensorKind.Input)
                throw c.Fail($"tensor {t} '{tensors[t].Name}' is listed as a graph input, but its kind is {tensors[t].Kind}");
        c.Context = "graph outputs";
        var outputs = ReadTensorList(ref c, tensors, "output");
        c.ExpectEnd("graph output");
        return (inputs, outputs);
    }

    private static int[] ReadTensorList(ref SectionCursor c, TensorInfo[] tensors, string what)
    {
        int count = c.ReadCount($"{what} count", sizeof(int));
        var list = new int[count];
        var seen = new HashSet<int>();
        for (int k = 0; k < count; k++)
        {
            list[k] = c.ReadInt32($"{what} tensor index");
            if ((uint)list[k] >= (uint)tensors.Length)
                throw c.Fail($"{what} {k} refers to tensor {list[k]}, but the model has {tensors.Length} tensors");
            if (!seen.Add(list[k]))
                throw c.Fail($"tensor {list[k]} '{tensors[list[k]].Name}' is listed twice");
        }
        return list;
    }

    private static string ReadName(ref SectionCursor c, string[] strings)
    {
        uint index = c.ReadUInt32("name index");
        if (index >= (uint)strings.Length)
            throw c.Fail($"name index {index} is out of range; the string table has {strings.Length} strings");
        return strings[index];
    }
}
