using System.Runtime.InteropServices;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests;

/// <summary>One tensor of a hand-built test model: a graph input (fed with <see cref="Data"/>), a constant
/// (stored in the weight blob), or an absent optional input.</summary>
public sealed class TestTensor
{
    private TestTensor(TensorKind? kind, int[] shape, DataType type, byte[] bytes)
    {
        Kind = kind;
        Shape = shape;
        Type = type;
        Bytes = bytes;
    }

    /// <summary>Null for an absent optional input.</summary>
    public TensorKind? Kind { get; }
    public int[] Shape { get; }
    public DataType Type { get; }
    public byte[] Bytes { get; }
    public float[] Data => MemoryMarshal.Cast<byte, float>(Bytes).ToArray();

    public static TestTensor Input(int[] shape, float[] data) =>
        new(TensorKind.Input, shape, DataType.Float32, Checked(shape, data));

    public static TestTensor Constant(int[] shape, float[] data) =>
        new(TensorKind.Constant, shape, DataType.Float32, Checked(shape, data));

    /// <summary>A constant of any type, given as raw little-endian bytes.</summary>
    public static TestTensor Constant(int[] shape, DataType type, byte[] bytes)
    {
        if (bytes.Length != TensorInfo.ComputeElementCount(shape) * type.SizeInBytes())
            throw new ArgumentException($"{bytes.Length} bytes do not fit a {type} tensor of shape [{string.Join(',', shape)}]");
        return new(TensorKind.Constant, shape, type, bytes);
    }

    public static TestTensor Absent { get; } = new(null, [], DataType.Float32, []);

    private static byte[] Checked(int[] shape, float[] data)
    {
        if (data.Length != TensorInfo.ComputeElementCount(shape))
            throw new ArgumentException($"{data.Length} values do not fit shape [{string.Join(',', shape)}]");
        return MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
    }
}

/// <summary>Builds small models by hand: tensors, ops in order, graph outputs. Constants are packed into
/// one weight blob at 16-byte aligned offsets, as the model file does.</summary>
public sealed class TestModelBuilder
{
    private readonly List<TensorInfo> _tensors = [];
    private readonly List<OpDesc> _ops = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];
    private readonly List<byte> _weights = [];

    public int AddInput(string name, params int[] shape) => AddInput(name, DataType.Float32, shape);

    public int AddInput(string name, DataType type, int[] shape, QuantParams? quant = null)
    {
        _inputs.Add(_tensors.Count);
        return Add(new TensorInfo(name, type, shape, TensorKind.Input) { Quant = quant });
    }

    public int AddConstant(string name, int[] shape, float[] data) =>
        AddConstant(name, shape, DataType.Float32, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

    public int AddConstant(string name, int[] shape, DataType type, byte[] bytes, QuantParams? quant = null)
    {
        while (_weights.Count % 16 != 0) _weights.Add(0);
        var info = new TensorInfo(name, type, shape, TensorKind.Constant) { ConstantOffset = _weights.Count, Quant = quant };
        if (bytes.Length != info.ByteLength) throw new ArgumentException($"{name}: {bytes.Length} bytes for a {info.ByteLength}-byte tensor");
        _weights.AddRange(bytes);
        return Add(info);
    }

    public int AddActivation(string name, params int[] shape) => AddActivation(name, DataType.Float32, shape);

    public int AddActivation(string name, DataType type, int[] shape, QuantParams? quant = null) =>
        Add(new TensorInfo(name, type, shape, TensorKind.Activation) { Quant = quant });

    public TestModelBuilder AddOp(OpCode code, int[] inputs, int[] outputs, OpParams? parameters = null, string? name = null)
    {
        _ops.Add(new OpDesc(code, name ?? $"{code.ToString().ToLowerInvariant()}_{_ops.Count}", inputs, outputs, parameters ?? new OpParams()));
        return this;
    }

    public TestModelBuilder MarkOutput(int tensor)
    {
        _outputs.Add(tensor);
        return this;
    }

    public CompiledModel Build()
    {
        while (_weights.Count % 16 != 0) _weights.Add(0);
        return new CompiledModel(_tensors.ToArray(), _ops.ToArray(), _inputs.ToArray(), _outputs.ToArray(), _weights.ToArray());
    }

    private int Add(TensorInfo info)
    {
        _tensors.Add(info);
        return _tensors.Count - 1;
    }
}

/// <summary>A model made of one op whose inputs are graph inputs or constants; runs it through a real
/// <see cref="Session"/>.</summary>
public static class OneOpModel
{
    public static CompiledModel Build(OpCode code, OpParams parameters, IReadOnlyList<TestTensor> inputs, params int[][] outputShapes)
    {
        var builder = new TestModelBuilder();
        var inputIds = new int[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var t = inputs[i];
            inputIds[i] = t.Kind switch
            {
                null => -1,
                TensorKind.Input => builder.AddInput($"in{i}", t.Shape),
                _ => builder.AddConstant($"const{i}", t.Shape, t.Type, t.Bytes),
            };
        }
        var outputIds = new int[outputShapes.Length];
        for (int i = 0; i < outputShapes.Length; i++) outputIds[i] = builder.AddActivation($"out{i}", outputShapes[i]);
        builder.AddOp(code, inputIds, outputIds, parameters, "op");
        foreach (var o in outputIds) builder.MarkOutput(o);
        return builder.Build();
    }

    /// <summary>Runs the op and returns its first output.</summary>
    public static float[] Run(OpCode code, OpParams parameters, IReadOnlyList<TestTensor> inputs, int[] outputShape) =>
        RunAll(code, parameters, inputs, outputShape)[0];

    /// <summary>Runs the op and returns every output.</summary>
    public static float[][] RunAll(OpCode code, OpParams parameters, IReadOnlyList<TestTensor> inputs, params int[][] outputShapes)
    {
        var model = Build(code, parameters, inputs, outputShapes);
        return Run(new Session(model), inputs.Where(t => t.Kind == TensorKind.Input).Select(t => t.Data).ToArray());
    }

    /// <summary>Runs a session with the given graph inputs (in order) and returns fresh output arrays.</summary>
    public static float[][] Run(Session session, params float[][] inputs)
    {
        var model = session.Model;
        var outputs = new float[model.Outputs.Length][];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new float[model.OutputInfo(i).ElementCount];
            Array.Fill(outputs[i], float.NaN);
        }
        session.Run(inputs.Select(a => (ReadOnlyMemory<float>)a).ToArray(), outputs.Select(a => (Memory<float>)a).ToArray());
        return outputs;
    }
}
