using System.Diagnostics;
using System.Text;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// Ctrl+C on a terminal: the CLI runs under a pseudo-terminal (util-linux `script`), so it shows its live display and
/// hides the cursor; a real Ctrl+C (the byte ^C typed into the terminal, which the terminal turns into SIGINT) stops
/// the run, and the cursor is shown again before it exits 130.
/// </summary>
public sealed class DuckDbTerminalInterruptTests
{
    private const string HideCursor = "\e[?25l";
    private const string ShowCursor = "\e[?25h";

    [Fact]
    public async Task Ctrl_C_on_a_terminal_shows_the_cursor_again_and_says_nothing_committed()
    {
        using var s = new Scenario();
        s.OneSongplay();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var command = string.Join(" ", new[]
        {
            dotnet, SparkifyProcess.DllPath, "--batch", "--songs", s.SongDir, "--logs", s.LogDir, "--staging", s.StagingDir,
            "--connection", Path.Combine(s.Root, "w.duckdb"),
        }.Select(Quote));
        SparkifyProcess.RestoreSigInt();   // `script` and the CLI must not inherit an ignored SIGINT
        var info = new ProcessStartInfo("/usr/bin/script")
        {
            WorkingDirectory = s.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--quiet", "--return", "--command", command, "/dev/null" }) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("SPARKIFY_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["TERM"] = "xterm-256color";
        info.Environment[TestPause.PhaseVariable] = "merge/60_songplays";
        info.Environment[TestPause.SecondsVariable] = "120";
        using var process = Process.Start(info)!;
        var screen = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
                lock (screen) screen.Append(buffer, 0, n);
        });
        string Screen()
        {
            lock (screen) return screen.ToString();
        }
        try
        {
            var clock = Stopwatch.StartNew();
            while (!Screen().Contains("pausing at merge/60_songplays", StringComparison.Ordinal))
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(120)) Assert.Fail($"no pause seen\n{Screen()}");
                await Task.Delay(50);
            }
            Assert.Contains(HideCursor, Screen(), StringComparison.Ordinal);   // the live display is up
            await process.StandardInput.WriteAsync('\x03');                   // Ctrl+C, typed
            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            await reading;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var output = Screen();
        Assert.True(process.ExitCode == ExitCodes.Interrupted, $"exit {process.ExitCode}\n{output}");
        Assert.Contains(RunInterruption.NothingCommitted, output, StringComparison.Ordinal);
        Assert.True(output.LastIndexOf(ShowCursor, StringComparison.Ordinal) > output.LastIndexOf(HideCursor, StringComparison.Ordinal),
            $"the cursor is left hidden\n{output.Replace("\e", "\\e", StringComparison.Ordinal)}");
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
