namespace EdgeCnn.Hardware.Pipeline;

/// <summary>One entry of a top-k list: class index, its label (or the index as text when there are no labels) and
/// its score (softmax probability, or the model's own output when that already is a probability).</summary>
public readonly record struct ClassScore(int Index, string Label, float Score);
