using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>The <c>--kernel-path</c> values: a <see cref="KernelPath"/> name in lower case, or <c>all</c> for every
/// path this machine supports.</summary>
internal static class KernelPathNames
{
    public const string All = "all";

    public static string Choices => string.Join("|", Enum.GetValues<KernelPath>().Select(Name)) + "|" + All;

    public static string Name(KernelPath path) => path.ToString().ToLowerInvariant();

    /// <summary>The paths to run, in the order given and without repeats; none given: the machine's best path.</summary>
    /// <exception cref="UsageException">An unknown name, or a path this machine cannot run.</exception>
    public static IReadOnlyList<KernelPath> Parse(IReadOnlyList<string> values, CpuFeatures cpu)
    {
        if (values.Count == 0) return [cpu.Best];
        var paths = new List<KernelPath>();
        foreach (var value in values)
        {
            if (value.Equals(All, StringComparison.OrdinalIgnoreCase))
            {
                paths.AddRange(cpu.SupportedPaths);
                continue;
            }
            var match = Enum.GetValues<KernelPath>().Where(p => Name(p) == value.ToLowerInvariant()).ToArray();
            if (match.Length == 0)
                throw new UsageException($"--kernel-path '{value}': expected one of {Choices}");
            if (!cpu.Supports(match[0]))
                throw new UsageException($"--kernel-path {value}: this machine cannot run it ({cpu}); supported: {string.Join(", ", cpu.SupportedPaths.Select(Name))}");
            paths.Add(match[0]);
        }
        return paths.Distinct().ToArray();
    }
}
