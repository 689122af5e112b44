using EdgeCnn.Hardware.Backends;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>
/// Creates the ONNX Runtime session with the first execution provider that works, in the order asked. A provider is
/// skipped, with the reason logged, when the native library was not built with it (checked up front: appending CUDA to
/// the CPU package's library fails with an EntryPointNotFoundException about a native symbol, which tells a user
/// nothing), when appending it fails (an OnnxRuntimeException, e.g. no CUDA driver), or when the session cannot be
/// created with it.
/// </summary>
internal static class OrtSessionOpener
{
    /// <param name="available">What the native library reports; tests pass a list that claims a provider the library
    /// lacks, to reach the failure of appending it.</param>
    public static (InferenceSession Session, string Provider, List<string> Failures) Open(
        string onnxPath, OrtBackendOptions options, Action<string> log, IReadOnlyList<string>? available = null)
    {
        if (options.Providers.Count == 0)
            throw new ArgumentException("the provider list is empty; ask for at least one (e.g. CPU)", nameof(options));
        var wanted = options.Providers.Select(OrtProviders.FullName).Distinct().ToList();
        available ??= OrtProviders.Available();
        var failures = new List<string>();
        foreach (var provider in wanted)
        {
            string shortName = OrtProviders.ShortName(provider);
            if (!available.Contains(provider))
            {
                failures.Add($"{shortName}: not in this build");
                log($"{shortName}: not in this ONNX Runtime build (available: {string.Join(", ", available)})");
                continue;
            }
            var sessionOptions = CreateOptions(options);
            try
            {
                Append(sessionOptions, provider, options.DeviceId);
                var session = new InferenceSession(onnxPath, sessionOptions);
                log($"{shortName}: using {provider}");
                return (session, provider, failures);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                string reason = OneLine(ex.Message);
                failures.Add($"{shortName}: {reason}");
                log($"{shortName}: failed: {reason}");
            }
            finally
            {
                sessionOptions.Dispose();
            }
        }
        throw new BackendException($"'{onnxPath}': ONNX Runtime could not load it with any of {string.Join(", ", wanted.Select(OrtProviders.ShortName))}: {string.Join("; ", failures)}");
    }

    private static SessionOptions CreateOptions(OrtBackendOptions options) => new()
    {
        IntraOpNumThreads = options.ThreadCount,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>The CPU provider is ONNX Runtime's built-in default (and the catch-all behind any other), so asking for
    /// it appends nothing.</summary>
    private static void Append(SessionOptions sessionOptions, string provider, int deviceId)
    {
        switch (provider)
        {
            case OrtProviders.Cuda:
                sessionOptions.AppendExecutionProvider_CUDA(deviceId);
                break;
            case OrtProviders.TensorRt:
                sessionOptions.AppendExecutionProvider_Tensorrt(deviceId);
                break;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
