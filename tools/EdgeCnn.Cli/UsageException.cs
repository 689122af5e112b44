namespace EdgeCnn.Cli;

/// <summary>The command line itself is wrong (a malformed option value, a missing argument); exit code 2.
/// The message names the option.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
