using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Models.Tests.Support;

/// <summary>ONNX Runtime (CPU, one thread: the build machine is shared) running a one-input, one-output model.</summary>
internal static class OrtRunner
{
    public static float[] Run(byte[] onnx, string inputName, float[] input, int[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, Array.ConvertAll(shape, d => (long)d));
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], session.OutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
