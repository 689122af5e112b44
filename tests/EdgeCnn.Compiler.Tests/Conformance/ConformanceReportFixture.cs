using EdgeCnn.Compiler.Tests.Conformance;

[assembly: AssemblyFixture(typeof(ConformanceReportFixture))]

namespace EdgeCnn.Compiler.Tests.Conformance;

/// <summary>Lives for the whole test assembly; when it is disposed every conformance case has finished,
/// so that is when the report is written.</summary>
public sealed class ConformanceReportFixture : IDisposable
{
    public void Dispose()
    {
        foreach (var path in ConformanceReport.WriteIfAny())
            Console.WriteLine($"conformance report: {path}");
    }
}
