using BenchmarkDotNet.Running;

// dotnet tests/EdgeCnn.Benchmarks/bin/Release/net10.0/EdgeCnn.Benchmarks.dll --filter '*'   (BenchmarkDotNet's options apply)
// "--list-models" prints each case's compiled ops and MACs instead of benchmarking.
if (args is ["--list-models"])
{
    EdgeCnn.Benchmarks.ModelListing.Print(Console.Out);
    return 0;
}
// In process by default: BenchmarkDotNet's usual toolchain generates and builds one project per benchmark, minutes of
// compilation on a small board and a build outside whatever build coordination the machine uses.
string[] options = args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase) ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(EdgeCnn.Benchmarks.KernelBenchmarks).Assembly).Run(options);
return 0;
