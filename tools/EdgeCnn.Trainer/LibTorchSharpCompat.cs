using System.Runtime.InteropServices;

namespace EdgeCnn.Trainer;

/// <summary>
/// Lets TorchSharp 0.107 load on systems with the libstdc++ of GCC 12 (Debian 12). Its native glue,
/// libLibTorchSharp.so, is built with GCC 13 and so requires libstdc++ symbol version GLIBCXX_3.4.32 — for
/// one symbol only, std::ios_base_library_init, which GCC 13's &lt;iostream&gt; references to pin the
/// library version but never calls (no relocation uses it). The loader refuses the library for the missing
/// version although nothing of it is used. Where that happens, this marks that single requirement weak in
/// the build output's copy of the library (never in the NuGet cache) before TorchSharp loads it.
/// </summary>
public static class LibTorchSharpCompat
{
    private const string GlueLibrary = "libLibTorchSharp.so";
    private const string UnusedVersion = "GLIBCXX_3.4.32";

    /// <summary>Returns a note when it had to patch the library, null when nothing was needed.</summary>
    public static string? Prepare()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return null;
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", GlueLibrary);
        if (!File.Exists(path) || NativeLibrary.TryLoad(path, out _)) return null;

        var elf = File.ReadAllBytes(path);
        var needs = ElfVersionNeeds.Read(elf)
            .Where(n => n.Library.StartsWith("libstdc++", StringComparison.Ordinal) && n.Version == UnusedVersion && !n.Weak)
            .ToList();
        if (needs.Count == 0) return null; // some other problem: let TorchSharp report it
        foreach (var need in needs) ElfVersionNeeds.MarkWeak(elf, need);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, elf);
        File.Move(temporary, path, overwrite: true);
        if (!NativeLibrary.TryLoad(path, out _))
            throw new InvalidOperationException($"{path} still does not load after marking its {UnusedVersion} requirement weak; " +
                "run on a system with GCC 13's libstdc++ or newer");
        return $"{path}: marked the unused {UnusedVersion} requirement weak (this system's libstdc++ predates GCC 13)";
    }
}
