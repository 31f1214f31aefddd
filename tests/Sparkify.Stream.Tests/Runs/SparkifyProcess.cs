using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// The real <c>sparkify</c> CLI as a child process (<c>dotnet sparkify.dll …</c>, the build copied next to the test
/// assembly by the project reference), its stdout and stderr captured line by line, signals sent with kill(2).
/// </summary>
public sealed class SparkifyProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private SparkifyProcess(Process process) => _process = process;

    /// <summary>The CLI's entry assembly, next to the test assembly (same build configuration).</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "sparkify.dll");

    public int Id => _process.Id;

    public string Stdout => Joined(_stdout);

    public string Stderr => Joined(_stderr);

    /// <summary>
    /// Starts the CLI in <paramref name="workingDirectory"/> (so no stray ./dwh.cfg is read) with the test's
    /// environment minus every SPARKIFY_ variable, plus <paramref name="environment"/>.
    /// </summary>
    public static SparkifyProcess Start(IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("SPARKIFY_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) info.Environment[key] = value;

        var process = new Process { StartInfo = info };
        var child = new SparkifyProcess(process);
        process.OutputDataReceived += (_, e) => child.Add(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(child._stderr, e.Data);
        if (!File.Exists(DllPath)) throw new FileNotFoundException("the sparkify build is not next to the tests", DllPath);
        RestoreSigInt();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs the CLI to completion (a batch run, a backfill) and returns it, exited.</summary>
    public static async Task<SparkifyProcess> RunAsync(IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 120)
    {
        var child = Start(arguments, workingDirectory, environment);
        await child.WaitForExitAsync(timeoutSeconds);
        return child;
    }

    /// <summary>Polls stderr until a line contains <paramref name="text"/>; fails if the process exits first or on timeout.</summary>
    public async Task<string> WaitForStderrAsync(string text, int timeoutSeconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_stderr)
                if (_stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            if (_process.HasExited)
            {
                _process.WaitForExit();   // drains the output events
                lock (_stderr)
                    if (_stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } last) return last;
                Assert.Fail($"sparkify exited ({_process.ExitCode}) before logging '{text}'\n{Describe()}");
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
                Assert.Fail($"sparkify did not log '{text}' within {timeoutSeconds}s\n{Describe()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the exit and returns the exit code (128 + n when killed by signal n); kills it on timeout.</summary>
    public async Task<int> WaitForExitAsync(int timeoutSeconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"sparkify did not exit within {timeoutSeconds}s\n{Describe()}");
        }
        _process.WaitForExit();   // drains the output events
        return _process.ExitCode;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Sends a signal (SIGINT, SIGTERM, SIGKILL) to the child.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public string Describe() => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
        }
        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null) return;
        lock (lines) lines.Add(line);
    }

    private static string Joined(List<string> lines)
    {
        lock (lines) return string.Join("\n", lines);
    }

    /// <summary>
    /// A child inherits an ignored SIGINT (exec keeps SIG_IGN), and .NET then installs no handler for it: Ctrl-C tests
    /// would see a child that never hears the signal. A test run started from a non-interactive shell's background job
    /// (<c>cmd &amp;</c>) ignores SIGINT; so, once, before the first child starts (every test that starts one calls this), an ignored SIGINT is set back to its
    /// default in this process (no .NET handler to replace: the runtime installs none for a signal ignored at start).
    /// True when it was ignored.
    /// </summary>
    public static bool RestoreSigInt() => SigIntDefault.Value;

    private static readonly Lazy<bool> SigIntDefault = new(() =>
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (ignored is null || (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) == 0) return false;
        if (SetSignal(SigInt, IntPtr.Zero /* SIG_DFL */) == -1)
            throw new InvalidOperationException($"signal(SIGINT, SIG_DFL) failed: errno {Marshal.GetLastPInvokeError()}");
        return true;
    });

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern IntPtr SetSignal(int signal, IntPtr handler);

    // DllImport, not LibraryImport: the generated stub would need AllowUnsafeBlocks for one blittable call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
