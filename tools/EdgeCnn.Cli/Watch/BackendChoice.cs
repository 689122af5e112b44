using EdgeCnn.Cli.IO;
using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.OnnxRuntime;
using EdgeCnn.Runtime;

namespace EdgeCnn.Cli.Watch;

/// <summary>
/// Opens the inference backend for <c>--backend auto|native|ort</c> (see <see cref="BackendSelector"/> for the rules),
/// with the compiler and ONNX Runtime the CLI ships. Usage, e.g. in <c>edgecnn watch</c>:
/// <code>
/// var selection = BackendChoice.Open(backendOption ?? "auto", modelPath,
///     new SessionOptions { KernelPath = kernelPath, ThreadCount = threads });
/// foreach (var line in selection.Messages) context.Out.WriteLine(line);   // why this backend, provider fallbacks
/// context.Out.WriteLine($"backend  {selection.Backend.Name}: {selection.Backend.Description}");
/// using var backend = selection.Backend;
/// </code>
/// Errors come out as the CLI's own exceptions: a bad --backend value is a <see cref="UsageException"/> (exit code 2);
/// a missing model, one the asked backend cannot run (an .ecnn for ort, an op the native runtime lacks for native) or
/// one no execution provider loads is an <see cref="InputFileException"/> naming the file (exit code 1).
/// </summary>
internal static class BackendChoice
{
    /// <param name="backend">auto, native or ort (case-insensitive).</param>
    /// <param name="modelPath">An .onnx model (compiled in memory for the native runtime) or an .ecnn model.</param>
    /// <param name="nativeOptions">Kernel path and threads of the native runtime.</param>
    /// <param name="inputShapes">Binds symbolic input dimensions of an ONNX model (as <c>--input-shape</c>), for both
    /// the compiler and ONNX Runtime.</param>
    /// <param name="ortLog">Also receives ONNX Runtime's provider lines as they happen (they are in the messages too).</param>
    /// <param name="ortProviders">ONNX Runtime's execution providers in the order to try (e.g. <c>--ort-providers
    /// tensorrt,cuda,cpu</c>); null: CUDA, then CPU.</param>
    public static BackendSelection Open(string backend, string modelPath, SessionOptions? nativeOptions = null,
        IReadOnlyDictionary<string, int[]>? inputShapes = null, TextWriter? ortLog = null, IReadOnlyList<string>? ortProviders = null)
    {
        BackendKind kind;
        try
        {
            kind = BackendKinds.Parse(backend);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--backend: unknown backend '{backend}' (expected auto, native or ort)");
        }
        if (string.IsNullOrEmpty(modelPath)) throw new UsageException("--model: a model file is required");

        var ortOptions = new OrtBackendOptions
        {
            ThreadCount = nativeOptions?.ThreadCount ?? 1,
            InputShape = SingleShape(inputShapes),
            Log = ortLog,
        };
        if (ortProviders is not null) ortOptions = ortOptions.WithProviders(CheckedProviders(ortProviders));
        var selector = new BackendSelector(new CompilerModelProbe(inputShapes), new OrtBackendFactory(ortOptions), nativeOptions);
        try
        {
            return selector.Select(kind, modelPath);
        }
        catch (FileNotFoundException ex)
        {
            throw new InputFileException(modelPath, "file not found", ex);
        }
        catch (BackendException ex)
        {
            throw new InputFileException(modelPath, WithoutPathPrefix(ex.Message, modelPath), ex);
        }
    }

    /// <summary>A misspelt provider is a command-line mistake, caught before any model is loaded.</summary>
    private static IReadOnlyList<string> CheckedProviders(IReadOnlyList<string> providers)
    {
        if (providers.Count == 0) throw new UsageException("--ort-providers: the list is empty (e.g. cuda,cpu)");
        foreach (var provider in providers)
        {
            try
            {
                OrtProviders.FullName(provider);
            }
            catch (ArgumentException)
            {
                throw new UsageException($"--ort-providers: unknown execution provider '{provider}' (known: CUDA, TensorRT, CPU)");
            }
        }
        return providers;
    }

    /// <summary>The pipeline feeds one image, so ONNX Runtime takes the one shape given (whatever the input's name).</summary>
    private static int[]? SingleShape(IReadOnlyDictionary<string, int[]>? shapes) => shapes is { Count: 1 } ? shapes.Values.First() : null;

    /// <summary>The selector's messages start with the quoted path, which <see cref="InputFileException"/> adds again.</summary>
    private static string WithoutPathPrefix(string message, string path)
    {
        string quoted = $"'{path}'";
        if (!message.StartsWith(quoted, StringComparison.Ordinal)) return message;
        string rest = message[quoted.Length..];
        return rest.StartsWith(": ", StringComparison.Ordinal) ? rest[2..] : rest.TrimStart();
    }
}
