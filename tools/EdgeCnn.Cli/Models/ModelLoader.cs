using System.Diagnostics;
using EdgeCnn.Cli.IO;
using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Models;

public enum ModelKind { Onnx, Ecnn, Embedded }

/// <summary>A model ready to analyze or run, with where it came from and how long loading (and compiling) took.</summary>
public sealed record LoadedModel(CompiledModel Model, string Source, ModelKind Kind, double LoadMilliseconds);

/// <summary>Loads what a MODEL argument names: an .onnx file (compiled in memory), an .ecnn file, or — when
/// absent — the embedded default model.</summary>
public static class ModelLoader
{
    /// <param name="forQuantization">Compile .onnx models the way the quantizer starts from them
    /// (<see cref="QuantizationPreparation.CompileFloat"/>: optimized, then non-clamp activations split off), so
    /// a calibration run observes exactly the tensors the quantizer asks ranges for.</param>
    public static LoadedModel Load(string? path, IReadOnlyDictionary<string, int[]> inputShapes, bool optimize, bool forQuantization = false)
    {
        var options = new CompileOptions
        {
            Import = new ImportOptions { InputShapes = inputShapes },
            Optimize = optimize,
        };
        Func<string, CompiledModel> compile = forQuantization
            ? onnxPath => QuantizationPreparation.CompileFloat(ModelCompiler.Import(onnxPath, options.Import))
            : onnxPath => ModelCompiler.Compile(onnxPath, options);
        var clock = Stopwatch.StartNew();
        if (path is null)
        {
            var model = CompileEmbedded(compile);
            return new LoadedModel(model, DefaultModel.Name, ModelKind.Embedded, clock.Elapsed.TotalMilliseconds);
        }

        var kind = KindOf(path);
        if (!File.Exists(path)) throw new InputFileException(path, "file not found");
        if (kind == ModelKind.Ecnn)
        {
            if (inputShapes.Count > 0)
                throw new UsageException("--input-shape applies to .onnx models; an .ecnn model has its shapes fixed at compile time");
            var model = NameFile(path, () => ModelReader.Load(path));
            return new LoadedModel(model, path, kind, clock.Elapsed.TotalMilliseconds);
        }
        var compiled = NameFile(path, () => compile(path));
        return new LoadedModel(compiled, path, kind, clock.Elapsed.TotalMilliseconds);
    }

    public static ModelKind KindOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".onnx" => ModelKind.Onnx,
        ".ecnn" => ModelKind.Ecnn,
        var other => throw new InputFileException(path, $"unknown model format '{other}' (expected .onnx or .ecnn)"),
    };

    private static CompiledModel CompileEmbedded(Func<string, CompiledModel> compile)
    {
        // The importer reads files (external data is resolved next to the model), so the embedded bytes go
        // through a private temporary file.
        string temp = Path.Combine(Path.GetTempPath(), $"edgecnn-default-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(temp, DefaultModel.OnnxBytes());
            return compile(temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Makes sure a model error names the file, whatever layer raised it.</summary>
    private static CompiledModel NameFile(string path, Func<CompiledModel> load)
    {
        try
        {
            return load();
        }
        catch (OnnxImportException ex) when (!ex.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InputFileException(path, ex.Message, ex);
        }
        catch (ModelFormatException ex) when (!ex.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InputFileException(path, ex.Message, ex);
        }
    }
}
