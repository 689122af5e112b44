using System.Text.Json;

namespace EdgeCnn.Device.Tests;

public class WatchFolderTests
{
    [Fact]
    public void ProcessesFilesInNameOrderAndMovesThemAside()
    {
        string dir = Directory.CreateTempSubdirectory("edgecnn-watch-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "b.npy"), [1]);
            File.WriteAllBytes(Path.Combine(dir, "a.bin"), [2]);
            File.WriteAllBytes(Path.Combine(dir, "c.bad.npy"), [3]);
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a tensor");
            var seen = new List<string>();
            var errors = new List<string>();
            using var stop = new CancellationTokenSource();
            WatchFolder.Run(dir, path =>
            {
                seen.Add(Path.GetFileName(path));
                // Cancelled before the last file's outcome: the file in hand is still finished and moved.
                if (seen.Count == 3) stop.Cancel();
                if (path.Contains(".bad.")) throw new DeviceUsageException($"{path}: rejected");
            }, errors.Add, stop.Token);

            Assert.Equal(["a.bin", "b.npy", "c.bad.npy"], seen);
            Assert.Single(errors);
            Assert.True(File.Exists(Path.Combine(dir, "done", "a.bin")));
            Assert.True(File.Exists(Path.Combine(dir, "done", "b.npy")));
            Assert.True(File.Exists(Path.Combine(dir, "failed", "c.bad.npy")));
            Assert.True(File.Exists(Path.Combine(dir, "notes.txt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingDirectoryIsAUsageError()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"edgecnn-watch-missing-{Guid.NewGuid():N}");
        var e = Assert.Throws<DeviceUsageException>(() => WatchFolder.Run(dir, _ => { }, _ => { }, CancellationToken.None));
        Assert.Contains(dir, e.Message);
    }

    [Fact]
    public void RunnerWatchModeClassifiesAFileRenamedIntoTheFolderAndReportsBadOnes()
    {
        string golden = RunnerTests.GoldenCase("fashion-mnist-int8");
        string dir = Directory.CreateTempSubdirectory("edgecnn-watch-run-").FullName;
        try
        {
            using var stop = new CancellationTokenSource();
            var stream = new MemoryStream();
            var runner = Task.Run(() => Runner.Run(
                DeviceOptions.Parse([Path.Combine(golden, "model.ecnn"), "--watch", dir, "--outputs"]), stream, stop.Token));
            // The writer's side of the contract: write under a name the watcher ignores, then rename.
            File.WriteAllBytes(Path.Combine(dir, "short.bin"), new byte[8]);
            string temp = Path.Combine(dir, "frame.tmp");
            File.Copy(Path.Combine(golden, "input.bin"), temp);
            File.Move(temp, Path.Combine(dir, "frame.bin"));
            string done = Path.Combine(dir, "done", "frame.bin");
            for (int i = 0; i < 600 && !File.Exists(done); i++) Thread.Sleep(50);
            stop.Cancel();
            Assert.Equal(0, runner.Result);
            Assert.True(File.Exists(done));
            Assert.True(File.Exists(Path.Combine(dir, "failed", "short.bin")));

            var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n').Split('\n')
                .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            Assert.Equal(3, lines.Count);
            // Either file may be seen first (they appear while the watcher polls); each gets its own line.
            var error = Assert.Single(lines, l => l.TryGetProperty("error", out _));
            Assert.Contains("short.bin", error.GetProperty("error").GetString());
            var result = Assert.Single(lines, l => l.TryGetProperty("outputs", out _));
            Assert.EndsWith("frame.bin", result.GetProperty("input").GetString());
            float[] expected = RunnerTests.Floats(Path.Combine(golden, "output.bin"));
            Assert.Equal(expected, result.GetProperty("outputs").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
