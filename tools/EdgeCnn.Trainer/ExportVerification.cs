using EdgeCnn.Compiler;
using EdgeCnn.Models;
using EdgeCnn.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Trainer;

/// <summary>Runs the exported .onnx over a whole split with EdgeCnn (compiler + runtime) and with ONNX
/// Runtime, one image at a time, as deployed; returns each one's logits (N·10, row by row).</summary>
public static class ExportVerification
{
    public static float[] RunEdgeCnn(string onnxPath, FashionMnist.Split split)
    {
        var session = new Session(ModelCompiler.Compile(onnxPath));
        var logits = new float[split.Count * Architecture.Classes];
        var input = new float[FashionMnist.PixelsPerImage];
        for (int i = 0; i < split.Count; i++)
        {
            Augmentation.Fill(split, [i], input, random: null);
            session.Run(input, logits.AsSpan(i * Architecture.Classes, Architecture.Classes));
        }
        return logits;
    }

    public static float[] RunOnnxRuntime(string onnxPath, FashionMnist.Split split, int threads)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnxPath, options);
        using var runOptions = new RunOptions();
        var logits = new float[split.Count * Architecture.Classes];
        var input = new float[FashionMnist.PixelsPerImage];
        long[] shape = Array.ConvertAll(OnnxExport.InputShape, d => (long)d);
        for (int i = 0; i < split.Count; i++)
        {
            Augmentation.Fill(split, [i], input, random: null);
            using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var outputs = session.Run(runOptions, [OnnxExport.InputName], [value], [OnnxExport.OutputName]);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(logits.AsSpan(i * Architecture.Classes, Architecture.Classes));
        }
        return logits;
    }

    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>Images whose top-1 class differs between two runs.</summary>
    public static int Disagreements(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int count = 0;
        for (int i = 0; i < a.Length; i += Architecture.Classes)
            if (Training.ArgMax(a.Slice(i, Architecture.Classes)) != Training.ArgMax(b.Slice(i, Architecture.Classes))) count++;
        return count;
    }
}
