using System.CommandLine;

namespace EdgeCnn.Cli.Commands;

/// <summary>Options shared by several commands (each command gets its own instances).</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the result as JSON instead of tables",
    };

    public static Option<string[]> InputShape() => new("--input-shape")
    {
        Description = "Bind an ONNX input's shape, e.g. x=1,3,48,192 (repeat for several inputs)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> NoOptimize() => new("--no-optimize")
    {
        Description = "Skip the optional graph optimizations (folding, fusion); the runtime's required passes still run",
    };

    public static Argument<string> Model(string description) => RejectOptionLike(new Argument<string>("MODEL")
    {
        Description = description,
    });

    public static Argument<string?> OptionalModel(string description) => RejectOptionLike(new Argument<string?>("MODEL")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
    });

    /// <summary>System.CommandLine hands an unknown "--option" to a free argument; a model path never starts
    /// with '-', so report it as the unknown option it is.</summary>
    private static Argument<T> RejectOptionLike<T>(Argument<T> argument)
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.StartsWith('-'))
                    result.AddError($"unrecognized option '{token.Value}'");
        });
        return argument;
    }
}
