using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Writer;

/// <summary>
/// Encodes a <see cref="CompiledModel"/> into the sections of the current format version (weights last; the
/// Quantization section only for quantized models; the optional Plan section before the weights). It
/// refuses, with a <see cref="ModelFormatException"/>, anything the reader would refuse that the
/// model's own validation lets through, so a written file always loads.
/// </summary>
internal static class SectionEncoder
{
    public static IReadOnlyList<EncodedSection> Encode(CompiledModel model)
    {
        var strings = new StringTableBuilder();
        var tensors = EncodeTensors(model, strings);
        var ops = EncodeOps(model, strings);
        var graph = EncodeGraph(model);
        // Encoded before the Strings section, which holds the planner's name.
        var plan = PlanEncoder.Encode(model, strings);
        var sections = new List<EncodedSection>
        {
            EncodedSection.Required(SectionId.Strings, strings.Encode()),
            EncodedSection.Required(SectionId.Tensors, tensors),
        };
        // Float models keep the five-section layout, so runtimes without int8 support still read them.
        if (model.Tensors.Any(t => t.Quant is not null))
            sections.Add(EncodedSection.Required(SectionId.Quantization, QuantizationEncoder.Encode(model)));
        sections.Add(EncodedSection.Required(SectionId.Ops, ops));
        sections.Add(EncodedSection.Required(SectionId.Graph, graph));
        sections.Add(new EncodedSection((uint)SectionId.Plan, SectionFlags.None, plan));
        sections.Add(EncodedSection.Required(SectionId.Weights, model.Weights));
        return sections;
    }

    private static byte[] EncodeTensors(CompiledModel model, StringTableBuilder strings)
    {
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        w.Write((uint)model.Tensors.Length);
        for (int i = 0; i < model.Tensors.Length; i++)
        {
            var t = model.Tensors[i];
            if (t.Name is not null && !names.TryAdd(t.Name, i))
                throw new ModelFormatException($"tensor {i} '{t.Name}': the name is already used by tensor {names[t.Name]}; tensor names must be unique");
            w.Write(strings.Add(t.Name!, $"tensor {i}"));
            w.Write((byte)t.Type);
            w.Write((byte)t.Kind);
            w.Write((byte)t.Rank);
            w.Write((byte)0);
            // Only constants have an offset; anything left on other tensors is meaningless and not kept.
            w.Write(t.Kind == TensorKind.Constant ? (ulong)t.ConstantOffset : 0UL);
            foreach (var d in t.Shape) w.Write(d);
        }
        w.Flush();
        return buffer.ToArray();
    }

    private static byte[] EncodeOps(CompiledModel model, StringTableBuilder strings)
    {
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        w.Write((uint)model.Ops.Length);
        for (int i = 0; i < model.Ops.Length; i++)
        {
            var op = model.Ops[i];
            string where = $"op {i} '{op.Name}' ({op.Code})";
            var parameters = CollectParams(op.Params, where);
            if (parameters.Count > ushort.MaxValue)
                throw new ModelFormatException($"{where}: {parameters.Count} parameters; at most {ushort.MaxValue} fit in the file");
            w.Write((ushort)op.Code);
            w.Write((ushort)parameters.Count);
            w.Write(strings.Add(op.Name, $"op {i}"));
            w.Write((uint)op.Inputs.Length);
            w.Write((uint)op.Outputs.Length);
            foreach (var t in op.Inputs) w.Write(t);
            foreach (var t in op.Outputs) w.Write(t);
            foreach (var (key, ints, floats) in parameters)
            {
                w.Write((ushort)key);
                w.Write((byte)(floats is null ? ParamValueKind.Int32List : ParamValueKind.Float32List));
                w.Write((byte)0);
                if (floats is null)
                {
                    w.Write((uint)ints!.Length);
                    foreach (var v in ints) w.Write(v);
                }
                else
                {
                    w.Write((uint)floats.Length);
                    foreach (var v in floats) w.Write(v);
                }
            }
        }
        w.Flush();
        return buffer.ToArray();
    }

    /// <summary>All parameters of an op in ascending key order, as the reader requires.</summary>
    private static List<(ParamKey Key, int[]? Ints, float[]? Floats)> CollectParams(OpParams parameters, string where)
    {
        var list = new List<(ParamKey Key, int[]? Ints, float[]? Floats)>(parameters.Count);
        foreach (var (key, values) in parameters.Ints)
            list.Add((key, values ?? throw Missing(where, key), null));
        foreach (var (key, values) in parameters.Floats)
            list.Add((key, null, values ?? throw Missing(where, key)));
        foreach (var (key, _, _) in list)
            if (!Enum.IsDefined(key))
                throw new ModelFormatException($"{where}: parameter key {(ushort)key} is not a known ParamKey");
        list.Sort((a, b) => a.Key.CompareTo(b.Key));
        return list;
    }

    private static ModelFormatException Missing(string where, ParamKey key) =>
        new($"{where}: parameter {key} has no values (null)");

    private static byte[] EncodeGraph(CompiledModel model)
    {
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        WriteTensorList(w, model.Inputs, model, "graph input");
        WriteTensorList(w, model.Outputs, model, "graph output");
        w.Flush();
        return buffer.ToArray();
    }

    private static void WriteTensorList(BinaryWriter w, int[] list, CompiledModel model, string what)
    {
        var seen = new HashSet<int>();
        foreach (var t in list)
            if (!seen.Add(t))
                throw new ModelFormatException($"{what} tensor {t} '{model.Tensors[t].Name}' is listed twice");
        w.Write((uint)list.Length);
        foreach (var t in list) w.Write(t);
    }
}
