using System.CommandLine;
using EdgeCnn.Cli.Commands;
using EdgeCnn.Cli.Output;

namespace EdgeCnn.Cli;

/// <summary>The <c>edgecnn</c> command line. <see cref="Run(string[], TextWriter, TextWriter)"/> is the whole
/// program minus the process: tests call it with string writers.</summary>
public static class EdgeCnnCli
{
    public static int Run(string[] args) => Run(args, CliContext.ForProcess());

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, CliContext.ForWriters(output, error));

    public static int Run(string[] args, CliContext context)
    {
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Show stack traces with errors",
            Recursive = true,
        };
        var root = new RootCommand("edgecnn: compile, inspect and run CNN models (ONNX or .ecnn) on the EdgeCnn runtime")
        {
            InspectCommand.Create(context, verbose),
            CompileCommand.Create(context, verbose),
            RunCommand.Create(context, verbose),
            EvalCommand.Create(context, verbose),
            CalibrateCommand.Create(context, verbose),
            QuantizeCommand.Create(context, verbose),
            ZooCommand.Create(context, verbose),
            BenchCommand.Create(context, verbose),
            Watch.WatchCommand.Create(context, verbose),
        };
        root.Options.Add(verbose);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string messages = string.Join("; ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ")));
            // The full path of a subcommand ("edgecnn zoo export"), not just its last word.
            var names = new List<string>();
            for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
                if (result.Command is not RootCommand) names.Insert(0, result.Command.Name);
            string help = string.Join(' ', ["edgecnn", .. names]);
            context.Error.WriteLine($"edgecnn: error: {messages} (see '{help} --help')");
            return CommandAction.UsageError;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        });
    }
}
