using System.Globalization;

namespace EdgeCnn.Compiler.Ir;

/// <summary>
/// An operation. ONNX nodes keep their op type and domain ("" = ai.onnx); nodes the passes create
/// use the domain <see cref="EdgeDomain"/> (e.g. ChannelShuffle, FullyConnected, NHWC spatial ops).
/// Inputs may hold null for an absent optional input.
/// </summary>
public sealed class Node
{
    public const string EdgeDomain = "edgecnn";

    public Node(string opType, string name, IEnumerable<Value?> inputs, IEnumerable<Value> outputs, string domain = "")
    {
        OpType = opType;
        Name = name;
        Domain = domain;
        Inputs = inputs.ToList();
        Outputs = outputs.ToList();
    }

    public string OpType { get; set; }
    public string Name { get; set; }
    public string Domain { get; set; }
    public List<Value?> Inputs { get; }
    public List<Value> Outputs { get; }
    public Dictionary<string, AttributeValue> Attributes { get; } = new(StringComparer.Ordinal);

    public bool Is(string opType, string domain = "") => OpType == opType && Domain == domain;

    public Value? InputOrNull(int i) => i < Inputs.Count ? Inputs[i] : null;

    public Value Input(int i) =>
        InputOrNull(i) ?? throw new OnnxImportException($"node '{Name}' ({OpType}): required input {i} is missing");

    public bool HasAttribute(string name) => Attributes.ContainsKey(name);

    public long GetInt(string name, long fallback) => Attributes.TryGetValue(name, out var a) ? a.I : fallback;

    public float GetFloat(string name, float fallback) => Attributes.TryGetValue(name, out var a) ? a.F : fallback;

    public string GetString(string name, string fallback) => Attributes.TryGetValue(name, out var a) ? a.S : fallback;

    public long[]? GetInts(string name) => Attributes.TryGetValue(name, out var a) ? a.Ints : null;

    public float[]? GetFloats(string name) => Attributes.TryGetValue(name, out var a) ? a.Floats : null;

    public Node Set(string name, long value) { Attributes[name] = AttributeValue.Of(value); return this; }
    public Node Set(string name, float value) { Attributes[name] = AttributeValue.Of(value); return this; }
    public Node Set(string name, string value) { Attributes[name] = AttributeValue.Of(value); return this; }
    public Node Set(string name, long[] value) { Attributes[name] = AttributeValue.Of(value); return this; }
    public Node Set(string name, float[] value) { Attributes[name] = AttributeValue.Of(value); return this; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Domain.Length > 0 ? Domain + "." : "")}{OpType} '{Name}'");
}
