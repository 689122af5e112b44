using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Device;

/// <summary>Loads the model once, then runs every input and writes one JSON line per input.</summary>
public static class Runner
{
    public static int Run(DeviceOptions options, Stream output) => Run(options, output, CancellationToken.None);

    /// <summary>Runs the inputs of the command line, then, with <see cref="DeviceOptions.WatchDirectory"/>, every
    /// tensor file that appears there until <paramref name="stop"/> is cancelled.</summary>
    public static int Run(DeviceOptions options, Stream output, CancellationToken stop)
    {
        if (!File.Exists(options.ModelPath)) throw new DeviceUsageException($"{options.ModelPath}: model file not found");
        string[] labels = options.LabelsPath is null ? [] : ReadLabels(options.LabelsPath);

        long loadStart = Stopwatch.GetTimestamp();
        using CompiledModel model = ModelReader.Load(options.ModelPath, options.Mapped);
        var session = new Session(model, new SessionOptions { KernelPath = options.KernelPath });
        double loadMs = Stopwatch.GetElapsedTime(loadStart).TotalMilliseconds;

        // One buffer per model input and output, reused for every file: the loop allocates only what reading a file needs.
        var inputs = new float[model.Inputs.Length][];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = new float[checked((int)model.InputInfo(i).ElementCount)];
        var outputs = new float[model.Outputs.Length][];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = new float[checked((int)model.OutputInfo(i).ElementCount)];
        var inputMemory = inputs.Select(a => (ReadOnlyMemory<float>)a).ToArray();
        var outputMemory = outputs.Select(a => (Memory<float>)a).ToArray();
        var times = new double[options.Repeat];
        var top = new int[Math.Min(options.Top, outputs[0].Length)];

        using var json = new Utf8JsonWriter(output);
        WriteModelLine(json, options, model, session, loadMs);
        EndLine(json, output);

        if ((options.Inputs.Count > 0 || options.WatchDirectory is not null) && model.Inputs.Length != 1)
            throw new DeviceUsageException($"{options.ModelPath}: the model has {model.Inputs.Length} inputs; edgecnn-device feeds one file to a single-input model");
        void RunFile(string path)
        {
            TensorFile.Read(path, inputs[0], model.InputInfo(0).Name);
            for (int r = 0; r < times.Length; r++)
            {
                long start = Stopwatch.GetTimestamp();
                session.Run(inputMemory, outputMemory);
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            int k = TopK.Select(outputs[0], top);
            WriteResultLine(json, path, outputs[0], top.AsSpan(0, k), labels, times[times.Length / 2], options.PrintOutputs);
            EndLine(json, output);
        }
        foreach (string path in options.Inputs) RunFile(path);
        if (options.WatchDirectory is not null) WatchFolder.Run(options.WatchDirectory, RunFile, error => WriteErrorLine(json, output, error), stop);
        return 0;
    }

    private static string[] ReadLabels(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceUsageException($"{path}: cannot read the labels ({e.Message})");
        }
    }

    private static void WriteModelLine(Utf8JsonWriter json, DeviceOptions options, CompiledModel model, Session session, double loadMs)
    {
        json.WriteStartObject();
        json.WriteString("model", options.ModelPath);
        json.WriteString("architecture", RuntimeInformation.ProcessArchitecture.ToString());
        json.WriteString("cpu", CpuFeatures.Current.ToString());
        json.WriteString("kernelPath", session.KernelPath.ToString());
        json.WriteString("input", model.InputInfo(0).ToString());
        json.WriteString("output", model.OutputInfo(0).ToString());
        json.WriteNumber("arenaBytes", session.ArenaBytes);
        json.WriteNumber("loadMs", Math.Round(loadMs, 3));
        json.WriteEndObject();
    }

    private static void WriteResultLine(Utf8JsonWriter json, string path, ReadOnlySpan<float> scores, ReadOnlySpan<int> top,
        string[] labels, double medianMs, bool printOutputs)
    {
        json.WriteStartObject();
        json.WriteString("input", path);
        json.WriteNumber("top1", top[0]);
        if (top[0] < labels.Length) json.WriteString("label", labels[top[0]]);
        json.WriteStartArray("top");
        foreach (int c in top)
        {
            json.WriteStartObject();
            json.WriteNumber("class", c);
            if (c < labels.Length) json.WriteString("label", labels[c]);
            WriteFloat(json, "score", scores[c]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("ms", Math.Round(medianMs, 4));
        if (printOutputs)
        {
            json.WriteStartArray("outputs");
            foreach (float s in scores)
            {
                if (float.IsFinite(s)) json.WriteNumberValue(s);
                else json.WriteStringValue(s.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    // JSON has no NaN or infinity: those are written as strings so the line stays valid.
    private static void WriteFloat(Utf8JsonWriter json, string name, float value)
    {
        if (float.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteString(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // In watch mode a bad file must not stop the service: it is reported as a JSON line and moved aside.
    private static void WriteErrorLine(Utf8JsonWriter json, Stream output, string message)
    {
        json.WriteStartObject();
        json.WriteString("error", message);
        json.WriteEndObject();
        EndLine(json, output);
    }

    private static void EndLine(Utf8JsonWriter json, Stream output)
    {
        json.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
        json.Reset();
    }
}
