using EdgeCnn.Cli.IO;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Commands;

/// <summary>One input file read and checked against the model input it feeds.</summary>
internal sealed record BoundInput(string File, TensorInfo Target, float[] Data, int[] FileShape)
{
    /// <summary>An image for an Int8 input, quantized while preprocessing (<see cref="Int8ImagePreprocessor"/>);
    /// <see cref="Data"/> is then empty.</summary>
    public sbyte[]? Codes { get; init; }
}

/// <summary>Reads the --input files in the order of the model's inputs and checks each against its input's
/// shape and type, so the session is only created once every input is known to fit.</summary>
internal static class RunInputs
{
    public static List<BoundInput> Bind(CompiledModel model, IReadOnlyList<string> files, ResolvedPreprocessing imageOptions)
    {
        if (files.Count != model.Inputs.Length)
        {
            string names = string.Join(", ", model.Inputs.Select(i => $"'{model.Tensors[i].Name}' {Output.Units.Shape(model.Tensors[i].Shape)}"));
            throw new UsageException($"the model has {model.Inputs.Length} input(s) ({names}); {files.Count} --input file(s) given");
        }
        var bound = new List<BoundInput>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            var target = model.InputInfo(i);
            string file = files[i];
            if (target.Type is not (DataType.Float32 or DataType.Int8))
                throw new InputFileException(file, $"model input '{target.Name}' is {target.Type}; edgecnn run feeds float32 and int8 inputs");
            if (target.Type == DataType.Int8 && ImageTensor.IsImagePath(file))
            {
                bound.Add(QuantizedImage(file, target, imageOptions));
                continue;
            }
            var data = TensorFile.Read(file, () => imageOptions.For(target, file));
            CheckShape(file, data, target);
            bound.Add(new BoundInput(file, target, data.AsFloats(), data.Shape));
        }
        return bound;
    }

    /// <summary>An image straight to int8 codes; a tensor file for an Int8 input stays float and the session quantizes it.</summary>
    private static BoundInput QuantizedImage(string file, TensorInfo target, ResolvedPreprocessing imageOptions)
    {
        var preprocessing = imageOptions.For(target, file);
        Int8ImagePreprocessor preprocessor;
        try
        {
            preprocessor = Int8ImagePreprocessor.For(target, preprocessing);
        }
        catch (ArgumentException ex)
        {
            throw new InputFileException(file, ex.Message, ex);
        }
        var codes = new sbyte[target.ElementCount];
        preprocessor.Run(ImageTensor.Read(file), codes);
        return new BoundInput(file, target, [], preprocessing.OutputShape) { Codes = codes };
    }

    /// <summary>Shapes must match; leading 1s may differ (a [3,32,32] array feeds a [1,3,32,32] input).</summary>
    internal static void CheckShape(string file, TensorData data, TensorInfo target)
    {
        if (!WithoutLeadingOnes(data.Shape).SequenceEqual(WithoutLeadingOnes(target.Shape)))
            throw new InputFileException(file, $"holds a tensor of shape {Output.Units.Shape(data.Shape)}; model input '{target.Name}' needs {Output.Units.Shape(target.Shape)}");
    }

    private static int[] WithoutLeadingOnes(int[] shape)
    {
        int start = 0;
        while (start < shape.Length - 1 && shape[start] == 1) start++;
        return shape[start..];
    }
}
