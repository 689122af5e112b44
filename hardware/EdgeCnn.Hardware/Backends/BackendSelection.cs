namespace EdgeCnn.Hardware.Backends;

/// <summary>The backend the selector opened and the lines explaining the choice (for the startup summary): why auto
/// picked it, which ops forced a fallback, which execution providers failed.</summary>
public sealed record BackendSelection(IInferenceBackend Backend, IReadOnlyList<string> Messages);
