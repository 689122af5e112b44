using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Output;

/// <summary>
/// One JSON object per line for every result, survived failure and the final summary, flushed at once so a pipe or
/// the journal sees each line as it happens:
/// <code>
/// {"timestamp":"…","trigger":{"source":"gpio:17:rising:50ms","sequence":3},"frame":{"name":"x.png","sequence":3},
///  "top":[{"class":7,"label":"Sneaker","score":0.98}],"latency":{"capture_ms":…,"preprocess_ms":…,"inference_ms":…,
///  "total_ms":…},"dropped":0,"saved_frame":null}
/// {"timestamp":"…","error":{"stage":"capture","message":"…","trigger":{…},"attempt":1,"retry_in_ms":100}}
/// {"summary":{"triggers":…,"processed":…,"dropped":…,…}}
/// </code>
/// "timestamp" is the trigger's; total_ms is capture + preprocess + inference. The writer and its buffers are reused, so
/// a result line allocates nothing once warm (with a <see cref="Stream"/>; a <see cref="TextWriter"/> target costs a char
/// conversion into a reused buffer).
/// </summary>
public sealed class JsonLinesSink : IResultSink, IErrorSink
{
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Trigger = JsonEncodedText.Encode("trigger");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Sequence = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText FrameKey = JsonEncodedText.Encode("frame");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Top = JsonEncodedText.Encode("top");
    private static readonly JsonEncodedText Class = JsonEncodedText.Encode("class");
    private static readonly JsonEncodedText Label = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText Latency = JsonEncodedText.Encode("latency");
    private static readonly JsonEncodedText CaptureMs = JsonEncodedText.Encode("capture_ms");
    private static readonly JsonEncodedText PreprocessMs = JsonEncodedText.Encode("preprocess_ms");
    private static readonly JsonEncodedText InferenceMs = JsonEncodedText.Encode("inference_ms");
    private static readonly JsonEncodedText TotalMs = JsonEncodedText.Encode("total_ms");
    private static readonly JsonEncodedText Dropped = JsonEncodedText.Encode("dropped");
    private static readonly JsonEncodedText SavedFrame = JsonEncodedText.Encode("saved_frame");

    private readonly Stream? _stream;
    private readonly TextWriter? _text;
    private readonly bool _ownsTarget;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private char[] _chars = new char[1024];

    /// <param name="ownsStream">Dispose <paramref name="stream"/> with the sink (false for stdout).</param>
    public JsonLinesSink(Stream stream, bool ownsStream = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _ownsTarget = ownsStream;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Writes into a text writer (the CLI's output, which tests replace with a string writer).</summary>
    public JsonLinesSink(TextWriter writer, bool ownsWriter = false)
    {
        _text = writer ?? throw new ArgumentNullException(nameof(writer));
        _ownsTarget = ownsWriter;
        _json = new Utf8JsonWriter(_buffer);
    }

    public void Write(InferenceResult result)
    {
        var json = Begin();
        json.WriteString(Timestamp, result.Trigger.Timestamp);
        WriteTrigger(json, result.Trigger);
        json.WriteStartObject(FrameKey);
        if (result.FrameName is { } name) json.WriteString(Name, name);
        else json.WriteNull(Name);
        json.WriteNumber(Sequence, result.FrameSequence);
        json.WriteEndObject();
        json.WriteStartArray(Top);
        for (int i = 0; i < result.TopKCount; i++)
        {
            var entry = result.TopK[i];
            json.WriteStartObject();
            json.WriteNumber(Class, entry.Index);
            json.WriteString(Label, entry.Label);
            json.WriteNumber(Score, entry.Score);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject(Latency);
        json.WriteNumber(CaptureMs, Round(result.CaptureMs));
        json.WriteNumber(PreprocessMs, Round(result.PreprocessMs));
        json.WriteNumber(InferenceMs, Round(result.InferenceMs));
        json.WriteNumber(TotalMs, Round(result.CaptureMs + result.PreprocessMs + result.InferenceMs));
        json.WriteEndObject();
        json.WriteNumber(Dropped, result.DroppedSinceLast);
        if (result.SavedFramePath is { } saved) json.WriteString(SavedFrame, saved);
        else json.WriteNull(SavedFrame);
        End(json);
    }

    public void WriteError(PipelineError error)
    {
        var json = Begin();
        json.WriteString(Timestamp, error.Timestamp);
        json.WriteStartObject("error");
        json.WriteString("stage", error.Stage);
        json.WriteString("message", error.Message);
        WriteTrigger(json, error.Trigger);
        json.WriteNumber("attempt", error.Attempt);
        if (error.RetryInMs is { } retry) json.WriteNumber("retry_in_ms", Round(retry));
        json.WriteEndObject();
        End(json);
    }

    /// <summary>The last line of a run.</summary>
    public void WriteSummary(PipelineSummary summary)
    {
        var json = Begin();
        json.WriteStartObject("summary");
        json.WriteNumber("triggers", summary.Triggers);
        json.WriteNumber("processed", summary.Processed);
        json.WriteNumber("dropped", summary.Dropped);
        json.WriteNumber("capture_failures", summary.CaptureFailures);
        json.WriteNumber("capture_errors", summary.CaptureErrors);
        json.WriteNumber("other_failures", summary.OtherFailures);
        json.WriteNumber("sink_errors", summary.SinkErrors);
        json.WriteStartObject("median_latency");
        WriteOptional(json, "capture_ms", summary.MedianCaptureMs);
        WriteOptional(json, "preprocess_ms", summary.MedianPreprocessMs);
        WriteOptional(json, "inference_ms", summary.MedianInferenceMs);
        WriteOptional(json, "total_ms", summary.MedianTotalMs);
        json.WriteEndObject();
        json.WriteEndObject();
        End(json);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v) json.WriteNumber(name, Round(v));
        else json.WriteNull(name);
    }

    private static void WriteTrigger(Utf8JsonWriter json, TriggerEvent trigger)
    {
        json.WriteStartObject(Trigger);
        json.WriteString(Source, trigger.Source);
        json.WriteNumber(Sequence, trigger.Sequence);
        json.WriteEndObject();
    }

    // Microseconds are the useful resolution; more digits are timer noise.
    private static double Round(double milliseconds) => Math.Round(milliseconds, 3);

    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    private void End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        var bytes = _buffer.WrittenSpan;
        if (_stream is not null)
        {
            _stream.Write(bytes);
            _stream.Flush();
            return;
        }
        int needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < needed) _chars = new char[needed];
        int count = Encoding.UTF8.GetChars(bytes, _chars);
        _text!.Write(_chars, 0, count);
        _text.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        if (!_ownsTarget) return;
        _stream?.Dispose();
        _text?.Dispose();
    }
}
