namespace EdgeCnn.Models.Zoo;

/// <summary>One architecture of the zoo: its name, a one-line description, its standard configuration and
/// the builder.</summary>
public sealed record ZooEntry(string Name, string Description, ZooConfig Defaults, Func<ZooConfig, ZooModel> Builder)
{
    /// <summary>Builds the model; <paramref name="config"/> defaults to the standard configuration.
    /// Throws <see cref="ModelConfigException"/> when the architecture cannot take the configuration.</summary>
    public ZooModel Build(ZooConfig? config = null) => Builder(config ?? Defaults);
}
