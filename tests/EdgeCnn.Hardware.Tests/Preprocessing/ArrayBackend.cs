using EdgeCnn.Hardware.Backends;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>A backend whose input is a plain array, to see what the preprocessor writes through the backend interface.</summary>
internal sealed class ArrayBackend(BackendInput input) : IInferenceBackend
{
    private readonly float[] _floats = input.IsInt8 ? [] : new float[input.Shape.Aggregate(1, (a, b) => a * b)];
    private readonly sbyte[] _codes = input.IsInt8 ? new sbyte[input.Shape.Aggregate(1, (a, b) => a * b)] : [];

    public string Name => "array";
    public string Description => "arrays for preprocessing tests";
    public BackendInput Input => input;
    public int OutputLength => 0;
    public float[] Floats => _floats;
    public sbyte[] Codes => _codes;

    public Span<float> InputFloat() => input.IsInt8 ? throw new InvalidOperationException("int8 input") : _floats;
    public Span<sbyte> InputInt8() => input.IsInt8 ? _codes : throw new InvalidOperationException("float input");
    public void Run() { }
    public ReadOnlySpan<float> Output() => [];
    public void Dispose() { }
}
