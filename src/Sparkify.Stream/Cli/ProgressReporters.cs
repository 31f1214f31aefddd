using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Cli;

/// <summary>A snapshot of a pass for display: what was read so far, how fast, and how much is left.</summary>
internal sealed class ProgressSnapshot
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private RunAccounting? _accounting;
    private long _totalBytes;
    private bool _sizeKnown;

    public string RunId { get; private set; } = "";
    public int Files { get; private set; }
    public string Phase { get; set; } = "listing";

    public void Start(string runId, RunAccounting accounting, IReadOnlyList<SourceObject> files)
    {
        (RunId, _accounting, Files) = (runId, accounting, files.Count);
        _totalBytes = files.Sum(f => f.Size);
        _sizeKnown = files.All(f => !f.IsGzip);   // a .gz file's size says little about the bytes it holds
        _clock.Restart();
    }

    public long Read => _accounting?.Read() ?? 0;
    public long Valid => _accounting?.Valid() ?? 0;
    public long Rejected => _accounting?.Rejected() ?? 0;
    public long Bytes => _accounting?.BytesRead ?? 0;
    public long TotalBytes => _totalBytes;
    public bool SizeKnown => _sizeKnown && _totalBytes > 0;
    public double Seconds => _clock.Elapsed.TotalSeconds;
    public double RecordsPerSecond => Seconds > 0 ? Read / Seconds : 0;

    /// <summary>Time left while reading, when the total is known; null otherwise.</summary>
    public TimeSpan? Eta => SizeKnown && Bytes > 0 && Bytes < TotalBytes && Phase == "ingest"
        ? TimeSpan.FromSeconds(Seconds * (TotalBytes - Bytes) / Bytes)
        : null;

    public string Line()
    {
        var of = SizeKnown ? string.Create(CultureInfo.InvariantCulture, $" of {TotalBytes / 1048576.0:F1}") : "";
        var eta = Eta is { } left ? string.Create(CultureInfo.InvariantCulture, $", ETA {left:mm\\:ss}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"run {RunId}: {Phase}, {Files:N0} files, {Read:N0} records read ({Valid:N0} valid, {Rejected:N0} rejected), {Bytes / 1048576.0:F1}{of} MB, {RecordsPerSecond:N0} records/s{eta}");
    }
}

/// <summary>Not a terminal (cron, CI): one plain log line every few seconds while a pass runs.</summary>
internal sealed class LogProgress(ILogger logger, TimeSpan every) : IRunProgress, IDisposable
{
    private readonly ProgressSnapshot _snapshot = new();
    private Timer? _timer;

    public void Started(string runId, RunAccounting accounting, IReadOnlyList<SourceObject> files)
    {
        _snapshot.Start(runId, accounting, files);
        _snapshot.Phase = "ingest";
        _timer = new Timer(_ => CliLog.Progress(logger, _snapshot.Line()), null, every, every);
    }

    public void Phase(string phase) => _snapshot.Phase = phase;

    public void Finished() => Dispose();

    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }
}

/// <summary>A terminal: a live Spectre.Console display of the pass (files, records, MB, rows/s, ETA, stage).</summary>
internal sealed class LiveProgress(IAnsiConsole console) : IRunProgress
{
    private readonly ProgressSnapshot _snapshot = new();
    private volatile bool _running;

    public void Started(string runId, RunAccounting accounting, IReadOnlyList<SourceObject> files)
    {
        _snapshot.Start(runId, accounting, files);
        _snapshot.Phase = "ingest";
    }

    public void Phase(string phase) => _snapshot.Phase = phase;

    public void Finished() => _running = false;

    /// <summary>Runs <paramref name="pass"/> under the live display, refreshed five times a second.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> pass)
    {
        _running = true;
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var reading = context.AddTask("reading", maxValue: 1);
                var work = pass();
                while (!work.IsCompleted)
                {
                    Update(reading);
                    await Task.WhenAny(work, Task.Delay(200));
                }
                Update(reading);
                reading.StopTask();
                result = await work;
            });
        return result;
    }

    private void Update(ProgressTask task)
    {
        var s = _snapshot;
        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{s.Phase}: {s.Files:N0} files, {s.Read:N0} records ({s.Rejected:N0} rejected), {s.Bytes / 1048576.0:F1} MB, {s.RecordsPerSecond:N0}/s"));
        if (s.SizeKnown)
        {
            task.MaxValue = s.TotalBytes;
            task.Value = Math.Min(s.Bytes, s.TotalBytes);
        }
        else
        {
            task.IsIndeterminate = _running && s.Phase == "ingest";
        }
        if (s.Phase != "ingest" && s.Phase != "listing" && s.SizeKnown) task.Value = task.MaxValue;
    }
}

/// <summary>
/// How passes are shown: the progress watcher every pass reports to (live display or periodic log lines, or none),
/// each pass run inside the live display when there is one, and its summary printed afterwards (also when it stopped
/// at the reject limit; an idle poll prints nothing).
/// </summary>
internal sealed class PassPresenter(IAnsiConsole console, LiveProgress? live, IRunProgress? periodic, RunMetrics? metrics = null)
{
    public IRunProgress? Progress => (IRunProgress?)live ?? periodic;

    public async Task<RunReport?> RunAsync(Func<Task<RunReport?>> pass)
    {
        RunReport? report;
        try
        {
            report = live is null ? await pass() : await live.RunAsync(pass);
        }
        catch
        {
            metrics?.Failed();
            throw;
        }
        if (report is null) return null;
        metrics?.Record(report);
        ConsoleOutput.PrintSummary(console, report);
        return report;
    }
}
