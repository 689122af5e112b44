using EdgeCnn.Cli.Commands;

namespace EdgeCnn.Cli.Evaluation;

/// <summary>
/// Accuracy bookkeeping over model outputs 0..N−1. A sample is top-k correct when its true output is among the k
/// highest scores; equal scores rank the lower index first and NaN scores never rank. A sample whose scores
/// are all NaN has no prediction (<see cref="NoPrediction"/>) and counts as wrong.
/// </summary>
internal sealed class ClassificationMetrics
{
    public const int NoPrediction = -1;
    public const int TopK = 5;

    private readonly int[] _count;
    private readonly int[] _correct;
    private readonly Dictionary<(int Truth, int Predicted), int> _confusion = new();

    public ClassificationMetrics(int outputCount)
    {
        if (outputCount <= 0) throw new ArgumentOutOfRangeException(nameof(outputCount), outputCount, "a classifier has at least one output");
        OutputCount = outputCount;
        _count = new int[outputCount];
        _correct = new int[outputCount];
    }

    public int OutputCount { get; }
    public int Count { get; private set; }
    public int Top1Correct { get; private set; }
    public int Top5Correct { get; private set; }

    /// <summary>Top-5 says something only when there are more than five classes.</summary>
    public bool HasTop5 => OutputCount > TopK;

    public double Top1Accuracy => Count == 0 ? 0 : Top1Correct / (double)Count;
    public double Top5Accuracy => Count == 0 ? 0 : Top5Correct / (double)Count;

    /// <summary>Records one sample; returns the predicted output (or <see cref="NoPrediction"/>).</summary>
    public int Add(int truth, ReadOnlySpan<float> scores)
    {
        if ((uint)truth >= (uint)OutputCount) throw new ArgumentOutOfRangeException(nameof(truth), truth, $"the true class must be an output index below {OutputCount}");
        if (scores.Length != OutputCount) throw new ArgumentException($"{scores.Length} scores for {OutputCount} outputs");
        var top = Commands.TopK.Select(scores, TopK);
        int predicted = top.Length > 0 ? top[0].Index : NoPrediction;
        Count++;
        _count[truth]++;
        if (predicted == truth)
        {
            Top1Correct++;
            _correct[truth]++;
        }
        foreach (var (index, _) in top)
            if (index == truth) { Top5Correct++; break; }
        _confusion[(truth, predicted)] = Confusion(truth, predicted) + 1;
        return predicted;
    }

    public int CountOf(int output) => _count[output];

    public int CorrectOf(int output) => _correct[output];

    /// <summary>Samples of true output <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public int Confusion(int truth, int predicted) => _confusion.GetValueOrDefault((truth, predicted));

    /// <summary>Samples of true output <paramref name="truth"/> predicted as none of <paramref name="outputs"/>.</summary>
    public int ConfusionOutside(int truth, IReadOnlySet<int> outputs) =>
        _confusion.Where(e => e.Key.Truth == truth && !outputs.Contains(e.Key.Predicted)).Sum(e => e.Value);
}
