using EdgeCnn.Cli.Evaluation;

namespace EdgeCnn.Cli.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Top1_top5_per_class_and_confusion_on_a_hand_made_case()
    {
        // Seven classes. Each row: the true class and the scores; the rank of the true class is noted.
        var metrics = new ClassificationMetrics(7);
        metrics.Add(0, [9, 1, 2, 3, 4, 5, 6]);       // rank 1: top-1 and top-5
        metrics.Add(0, [4, 9, 8, 7, 6, 5, 0]);       // rank 6 (only class 6 lower): neither; predicted 1
        metrics.Add(1, [5, 4, 9, 8, 7, 6, 0]);       // rank 6: predicted 2
        metrics.Add(1, [0, 5, 9, 8, 7, 6, 1]);       // rank 5: top-5 only; predicted 2
        metrics.Add(2, [0, 0, 1, 0, 0, 0, 0]);       // rank 1
        metrics.Add(6, [1, 1, 1, 1, 1, 1, 1]);       // all tied: index order ranks class 6 last → predicted 0, not top-5

        Assert.Equal(6, metrics.Count);
        Assert.Equal(2, metrics.Top1Correct);
        Assert.Equal(3, metrics.Top5Correct);
        Assert.True(metrics.HasTop5);
        Assert.Equal(2 / 6.0, metrics.Top1Accuracy);
        Assert.Equal((2, 1), (metrics.CountOf(0), metrics.CorrectOf(0)));
        Assert.Equal((2, 0), (metrics.CountOf(1), metrics.CorrectOf(1)));
        Assert.Equal((1, 1), (metrics.CountOf(2), metrics.CorrectOf(2)));
        Assert.Equal((1, 0), (metrics.CountOf(6), metrics.CorrectOf(6)));
        Assert.Equal(1, metrics.Confusion(0, 0));
        Assert.Equal(1, metrics.Confusion(0, 1));
        Assert.Equal(2, metrics.Confusion(1, 2));
        Assert.Equal(1, metrics.Confusion(6, 0));
        Assert.Equal(0, metrics.Confusion(2, 0));
        // Predictions outside {0, 1}: both class-1 samples went to class 2.
        Assert.Equal(2, metrics.ConfusionOutside(1, new HashSet<int> { 0, 1 }));
        Assert.Equal(0, metrics.ConfusionOutside(0, new HashSet<int> { 0, 1 }));
    }

    [Fact]
    public void Nan_scores_never_win_and_all_nan_is_no_prediction()
    {
        var metrics = new ClassificationMetrics(3);
        Assert.Equal(2, metrics.Add(2, [float.NaN, 0.1f, 0.2f]));
        Assert.Equal(ClassificationMetrics.NoPrediction, metrics.Add(1, [float.NaN, float.NaN, float.NaN]));
        Assert.Equal(1, metrics.Top1Correct);
        Assert.False(metrics.HasTop5);
        Assert.Equal(1, metrics.Confusion(1, ClassificationMetrics.NoPrediction));
        Assert.Equal(1, metrics.ConfusionOutside(1, new HashSet<int> { 0, 1, 2 }));
    }

    [Fact]
    public void Bad_samples_are_rejected()
    {
        var metrics = new ClassificationMetrics(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Add(2, [0, 1]));
        Assert.Throws<ArgumentException>(() => metrics.Add(0, [0, 1, 2]));
    }
}
