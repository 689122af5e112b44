using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace EdgeCnn.Cli.Output;

/// <summary>Where a command writes: plain text and JSON to <see cref="Out"/>, tables through <see cref="Console"/>
/// (which renders into the same writer), one-line errors to <see cref="Error"/>.</summary>
public sealed class CliContext
{
    // Named literals keep a NaN or infinite score printable (as a string) instead of failing the whole output.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private CliContext(TextWriter output, TextWriter error, IAnsiConsole console, IAnsiConsole? progress = null)
    {
        Out = output;
        Error = error;
        Console = console;
        Progress = progress;
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public IAnsiConsole Console { get; }

    /// <summary>A console on stderr for progress bars, or null when stderr is not a terminal (redirected, tests),
    /// so that logs and pipes never receive progress redraws.</summary>
    public IAnsiConsole? Progress { get; }

    /// <summary>Progress spinners only make sense on a terminal a person watches.</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>The process's console: colors and spinners when it is a terminal.</summary>
    public static CliContext ForProcess()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        // Piped into a file or another program there is no terminal width to respect; 80 columns would wrap every table row.
        if (System.Console.IsOutputRedirected) console.Profile.Width = 200;
        var progress = System.Console.IsErrorRedirected ? null
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        return new CliContext(System.Console.Out, System.Console.Error, console, progress);
    }

    /// <summary>Plain text into the given writers (tests, embedding): no colors, no spinners, wide enough that tables do not wrap.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error, int width = 200)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return new CliContext(output, error, console);
    }

    public void WriteJson(JsonNode node) => Out.WriteLine(node.ToJsonString(Indented));

    /// <summary>Runs <paramref name="work"/> under a spinner on a terminal, plainly otherwise.</summary>
    public T WithStatus<T>(string status, Func<T> work) =>
        Interactive ? Console.Status().Start(status, _ => work()) : work();
}
