using System.CommandLine;
using EdgeCnn.Compiler.Quantization.Sensitivity;

namespace EdgeCnn.Cli.Commands;

/// <summary>
/// <c>edgecnn quantize --analyze [--analyze-target DB]</c>: instead of writing a model, rank the nodes by the output
/// error each causes when it alone runs int8, and suggest a <c>--keep-float</c> list (docs/quantization.md,
/// "Sensitivity analysis").
/// </summary>
internal sealed class AnalyzeOptions
{
    private readonly Option<bool> _analyze = new("--analyze")
    {
        Description = "Rank the nodes by the output error each causes when it alone runs int8 (all others float32) and suggest a --keep-float list; writes no model",
    };

    private readonly Option<double?> _target = new("--analyze-target")
    {
        Description = $"Output SQNR (dB) the suggested --keep-float list aims the int8 model at (default {SensitivityOptions.DefaultTargetSqnrDb})",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_analyze);
        command.Options.Add(_target);
    }

    public bool IsRequested(ParseResult parse) => parse.GetValue(_analyze);

    /// <summary>The target SQNR, checked before any work.</summary>
    /// <exception cref="UsageException">--analyze-target without --analyze, or not a finite number; --emit-qdq with --analyze.</exception>
    public double Target(ParseResult parse, string? qdqPath)
    {
        double? target = parse.GetValue(_target);
        if (!IsRequested(parse))
        {
            if (target is not null) throw new UsageException("--analyze-target sets the goal of --analyze; give --analyze too");
            return SensitivityOptions.DefaultTargetSqnrDb;
        }
        if (target is { } t && !double.IsFinite(t)) throw new UsageException($"--analyze-target {t}: must be a finite number of dB");
        if (qdqPath is not null) throw new UsageException("--analyze writes no model; --emit-qdq needs one (quantize again without --analyze)");
        return target ?? SensitivityOptions.DefaultTargetSqnrDb;
    }
}
