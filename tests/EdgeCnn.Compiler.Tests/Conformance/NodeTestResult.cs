namespace EdgeCnn.Compiler.Tests.Conformance;

public enum NodeTestStatus { Passed, Failed, Skipped }

/// <summary>How one in-scope node test went; <see cref="Detail"/> says why for failures and skips.</summary>
internal sealed record NodeTestResult(string Name, NodeTestStatus Status, string Detail, IReadOnlyList<string> Ops)
{
    public static NodeTestResult Passed(NodeTest test, string detail = "") => new(test.Name, NodeTestStatus.Passed, detail, test.Ops);
    public static NodeTestResult Failed(NodeTest test, string detail) => new(test.Name, NodeTestStatus.Failed, detail, test.Ops);
    public static NodeTestResult Skipped(NodeTest test, string detail) => new(test.Name, NodeTestStatus.Skipped, detail, test.Ops);
}
