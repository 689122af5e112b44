using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Golden;

/// <summary>
/// One model of tests/data/golden: <c>model.ecnn</c>, its input <c>input.bin</c> and the output the x64 reference
/// kernels computed for it, <c>output.bin</c> (both raw little-endian float32, the model's single input and output
/// in its own shape). scripts/make-golden.sh writes them; tests/data/golden/README.md says how.
/// </summary>
public sealed class GoldenCase
{
    private GoldenCase(string name, string directory)
    {
        Name = name;
        Directory = directory;
    }

    public string Name { get; }
    public string Directory { get; }
    public string ModelPath => Path.Combine(Directory, "model.ecnn");
    public string InputPath => Path.Combine(Directory, "input.bin");
    public string OutputPath => Path.Combine(Directory, "output.bin");

    /// <summary>The case <paramref name="name"/> in the checkout's tests/data/golden (found above the test binaries,
    /// so a published linux-arm64 copy under .cache/ finds it too).</summary>
    public static GoldenCase Named(string name) => new(name, Path.Combine(GoldenRoot(), name));

    /// <summary>Loads the model and checks it has the one float32 input and output the files hold.</summary>
    public CompiledModel LoadModel()
    {
        if (!File.Exists(ModelPath))
            throw new FileNotFoundException($"golden case '{Name}': {ModelPath} is missing; scripts/make-golden.sh writes it", ModelPath);
        var model = ModelReader.Load(ModelPath);
        if (model.Inputs.Length != 1 || model.Outputs.Length != 1)
            throw new InvalidDataException($"{ModelPath}: golden cases hold one input and one output; the model has {model.Inputs.Length} and {model.Outputs.Length}");
        if (model.InputInfo(0).Type != DataType.Float32 || model.OutputInfo(0).Type != DataType.Float32)
            throw new InvalidDataException($"{ModelPath}: golden inputs and outputs are float32; the model's are {model.InputInfo(0).Type} and {model.OutputInfo(0).Type}");
        return model;
    }

    public float[] ReadInput(CompiledModel model) => ReadFloats(InputPath, model.InputInfo(0));

    public float[] ReadOutput(CompiledModel model) => ReadFloats(OutputPath, model.OutputInfo(0));

    public void WriteInput(ReadOnlySpan<float> values) => File.WriteAllBytes(InputPath, MemoryMarshal.AsBytes(values).ToArray());

    public void WriteOutput(ReadOnlySpan<float> values) => File.WriteAllBytes(OutputPath, MemoryMarshal.AsBytes(values).ToArray());

    public override string ToString() => Name;

    private static float[] ReadFloats(string path, TensorInfo tensor)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("golden files are little-endian float32");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing; scripts/make-golden.sh writes it", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.LongLength != tensor.ByteLength)
            throw new InvalidDataException(
                $"{path}: {bytes.Length} bytes, but tensor '{tensor.Name}' [{string.Join(',', tensor.Shape)}] needs {tensor.ByteLength}");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static string GoldenRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCnn.sln")))
                return Path.Combine(dir.FullName, "tests", "data", "golden");
        throw new DirectoryNotFoundException($"no EdgeCnn.sln above {AppContext.BaseDirectory}: the golden files are read from the checkout");
    }
}
