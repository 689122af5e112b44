using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Device;

/// <summary>The parsed command line of <c>edgecnn-device</c>.</summary>
public sealed record DeviceOptions
{
    public const string Usage =
        "usage: edgecnn-device MODEL.ecnn [INPUT.npy|INPUT.bin ...] [--labels FILE] [--top K] [--kernel-path PATH]\n" +
        "                      [--repeat N] [--outputs] [--mapped] [--watch DIR]\n" +
        "  Runs the model on each input tensor (.npy float32, or raw little-endian float32 .bin with the model input's\n" +
        "  element count) and prints one JSON line per input; the first line describes the model and the machine.\n" +
        "  Without inputs it prints only that line.\n" +
        "  --labels FILE       class names, one per line (index = class)\n" +
        "  --top K             how many classes to report per input (default 5)\n" +
        "  --kernel-path PATH  Reference, Vector128, Avx2, AdvSimd or AdvSimdDp (default: the best this CPU runs)\n" +
        "  --repeat N          run each input N times and report the median time (default 1)\n" +
        "  --outputs           also print every value of the first output\n" +
        "  --mapped            memory-map the model file instead of reading it\n" +
        "  --watch DIR         keep running: run every .npy/.bin file that appears in DIR (write it under another name and\n" +
        "                      rename it into DIR), then move it to DIR/done (or DIR/failed with an error line)";

    public required string ModelPath { get; init; }
    public IReadOnlyList<string> Inputs { get; init; } = [];
    public string? LabelsPath { get; init; }
    public int Top { get; init; } = 5;
    public KernelPath? KernelPath { get; init; }
    public int Repeat { get; init; } = 1;
    public bool PrintOutputs { get; init; }
    public bool Mapped { get; init; }
    public string? WatchDirectory { get; init; }

    /// <summary>Parses the arguments; throws <see cref="DeviceUsageException"/> naming the offending argument.</summary>
    public static DeviceOptions Parse(IReadOnlyList<string> args)
    {
        string? model = null;
        var inputs = new List<string>();
        string? labels = null;
        int top = 5, repeat = 1;
        KernelPath? path = null;
        bool outputs = false, mapped = false;
        string? watch = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--labels": labels = Value(args, ref i); break;
                case "--top": top = PositiveInt(args, ref i); break;
                case "--repeat": repeat = PositiveInt(args, ref i); break;
                case "--kernel-path": path = ParsePath(Value(args, ref i)); break;
                case "--outputs": outputs = true; break;
                case "--mapped": mapped = true; break;
                case "--watch": watch = Value(args, ref i); break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                        throw new DeviceUsageException($"unknown option '{arg}'");
                    if (model is null) model = arg;
                    else inputs.Add(arg);
                    break;
            }
        }
        if (model is null) throw new DeviceUsageException("no model given (MODEL.ecnn is the first argument)");
        return new DeviceOptions
        {
            ModelPath = model, Inputs = inputs, LabelsPath = labels, Top = top, KernelPath = path,
            Repeat = repeat, PrintOutputs = outputs, Mapped = mapped, WatchDirectory = watch,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count) throw new DeviceUsageException($"option '{args[i]}' needs a value");
        return args[++i];
    }

    private static int PositiveInt(IReadOnlyList<string> args, ref int i)
    {
        string option = args[i];
        string text = Value(args, ref i);
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) || value < 1)
            throw new DeviceUsageException($"option '{option}' needs a positive integer, not '{text}'");
        return value;
    }

    // Enum.TryParse would also accept numbers and undefined values; the names are the contract.
    private static KernelPath ParsePath(string text)
    {
        foreach (KernelPath p in Enum.GetValues<KernelPath>())
            if (string.Equals(p.ToString(), text, StringComparison.OrdinalIgnoreCase)) return p;
        throw new DeviceUsageException($"option '--kernel-path' must be one of {string.Join(", ", Enum.GetNames<KernelPath>())}, not '{text}'");
    }
}
