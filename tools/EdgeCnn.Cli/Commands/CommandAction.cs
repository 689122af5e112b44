using System.CommandLine;
using EdgeCnn.Cli.IO;
using EdgeCnn.Cli.Output;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Cli.Commands;

/// <summary>Runs a command's body and turns failures into exit codes and one-line messages:
/// 2 for usage errors, 1 for bad models and inputs (and anything unexpected), with the stack trace only under --verbose.</summary>
internal static class CommandAction
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static void Set(Command command, CliContext context, Option<bool> verbose, Func<ParseResult, int> body) =>
        command.SetAction(parse => Run(context, parse.GetValue(verbose), () => body(parse)));

    public static int Run(CliContext context, bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException ex)
        {
            return Report(context, ex, verbose, UsageError, "");
        }
        catch (Exception ex) when (ex is InputFileException or OnnxImportException or ModelFormatException or Compiler.Calibration.CalibrationException
            or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return Report(context, ex, verbose, Failure, "");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug rather than bad input: say so, and keep the type so a report is useful.
            return Report(context, ex, verbose, Failure, $"internal error ({ex.GetType().Name}): ");
        }
    }

    private static int Report(CliContext context, Exception ex, bool verbose, int code, string prefix)
    {
        string message = ex.Message.ReplaceLineEndings(" ");
        context.Error.WriteLine($"edgecnn: error: {prefix}{message}");
        if (verbose) context.Error.WriteLine(ex.ToString());
        return code;
    }
}
