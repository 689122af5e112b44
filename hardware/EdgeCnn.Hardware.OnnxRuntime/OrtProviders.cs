using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>The execution providers the backend knows how to ask for, by short name, and which of them the installed
/// ONNX Runtime native library was built with.</summary>
public static class OrtProviders
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";
    public const string TensorRt = "TensorrtExecutionProvider";

    /// <summary>What the native library reports (the CPU NuGet package: only CPUExecutionProvider).</summary>
    public static IReadOnlyList<string> Available() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>The ONNX Runtime version of the loaded native library.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>"CUDA" → "CUDAExecutionProvider" (full names pass through), case-insensitive.</summary>
    /// <exception cref="ArgumentException">A provider this backend cannot append; the message lists the known ones.</exception>
    public static string FullName(string provider) => provider?.Trim().ToLowerInvariant() switch
    {
        "cpu" or "cpuexecutionprovider" => Cpu,
        "cuda" or "cudaexecutionprovider" => Cuda,
        "tensorrt" or "tensorrtexecutionprovider" => TensorRt,
        _ => throw new ArgumentException($"unknown execution provider '{provider}' (known: CUDA, TensorRT, CPU)", nameof(provider)),
    };

    /// <summary>"CUDAExecutionProvider" → "CUDA", for log lines.</summary>
    public static string ShortName(string fullName) => fullName switch
    {
        Cpu => "CPU",
        Cuda => "CUDA",
        TensorRt => "TensorRT",
        _ => fullName,
    };
}
