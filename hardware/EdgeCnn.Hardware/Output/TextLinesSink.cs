using System.Globalization;
using System.Text;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Output;

/// <summary>A human-readable line per result for a terminal, e.g.
/// <c>#3 gpio:17:rising:50ms  frame 3 (x.png)  Sneaker 0.981, Sandal 0.012  capture 1.20 ms, preprocess 0.31 ms,
/// inference 0.84 ms  dropped 2  saved /var/lib/edgecnn/frames/…</c>. Machines should read the JSON lines instead.</summary>
public sealed class TextLinesSink : IResultSink
{
    private readonly TextWriter _writer;
    private readonly int _shown;
    private readonly StringBuilder _line = new(256);

    /// <param name="shown">How many of the top-k classes to print.</param>
    public TextLinesSink(TextWriter writer, int shown = 3)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        ArgumentOutOfRangeException.ThrowIfLessThan(shown, 1);
        _shown = shown;
    }

    public void Write(InferenceResult result)
    {
        var c = CultureInfo.InvariantCulture;
        _line.Clear();
        _line.Append(c, $"#{result.Trigger.Sequence} {result.Trigger.Source}  frame {result.FrameSequence}");
        if (result.FrameName is { } name) _line.Append(c, $" ({name})");
        _line.Append("  ");
        int shown = Math.Min(_shown, result.TopKCount);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) _line.Append(", ");
            _line.Append(c, $"{result.TopK[i].Label} {result.TopK[i].Score:0.000}");
        }
        if (shown == 0) _line.Append("no scores");
        _line.Append(c, $"  capture {result.CaptureMs:0.00} ms, preprocess {result.PreprocessMs:0.00} ms, inference {result.InferenceMs:0.00} ms");
        if (result.DroppedSinceLast > 0) _line.Append(c, $"  dropped {result.DroppedSinceLast}");
        if (result.SavedFramePath is { } saved) _line.Append(c, $"  saved {saved}");
        _writer.WriteLine(_line);
        _writer.Flush();
    }

    public void Dispose()
    {
        // The writer belongs to the caller (the process's stdout).
    }
}
