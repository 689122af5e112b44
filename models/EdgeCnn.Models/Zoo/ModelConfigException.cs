namespace EdgeCnn.Models.Zoo;

/// <summary>A zoo model cannot be built with the requested configuration (width, resolution, classes);
/// the message names the model and what is wrong.</summary>
public sealed class ModelConfigException : Exception
{
    public ModelConfigException(string model, string message) : base($"{model}: {message}")
    {
        Model = model;
    }

    public string Model { get; }
}
