using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>Watch mode's Prometheus endpoint (`--metrics-port`): the counters are the reports' figures.</summary>
public abstract partial class RunProcessSemantics
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The samples of a Prometheus text exposition: "name{labels}" → value (labels as written).</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            var name = line[..space].Replace("{otel_scope_name=\"Sparkify.Stream\"}", "", StringComparison.Ordinal)
                .Replace("otel_scope_name=\"Sparkify.Stream\",", "", StringComparison.Ordinal);
            samples[name] =
                double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }

    private static double Sample(Dictionary<string, double> samples, string name) =>
        samples.TryGetValue(name, out var value) ? value : 0;

    [Fact]
    public async Task Watch_mode_serves_metrics_equal_to_the_reports_and_a_scrape_during_a_pass_answers_at_once()
    {
        using var s = new Scenario();
        DataGenerator.Generate(new GeneratorOptions(s.Root) { Songs = 30, Events = 1200, Users = 9, Days = 2, Seed = 37, BadLines = 2 });
        var target = await NewTargetAsync();
        var port = FreePort();
        var environment = new Dictionary<string, string?>(target.Environment)
        {
            [TestPause.PhaseVariable] = "commit",
            // Held longer than a scrape may take (ScrapeAsync gives up after 5 s): a scrape that waited for the pass
            // to end would fail, so one that answers answered during the pass — no clock on this busy machine.
            [TestPause.SecondsVariable] = "12",
        };
        using var watcher = SparkifyProcess.Start(["run", "--interval", "1", "--metrics-port", port.ToString(CultureInfo.InvariantCulture),
            "--max-rejects", "100%", .. Sources(s), .. target.Arguments], s.Root, environment);

        // In the middle of a pass (held before its commit), a scrape answers and shows no pass yet.
        await watcher.WaitForStderrAsync("pausing at commit", timeoutSeconds: 60);
        var during = await ScrapeAsync(port);
        Assert.Equal(0, Sample(during, "sparkify_runs_total{outcome=\"succeeded\"}"));

        var report = await WaitForReportAsync(s, watcher, r => r.Files.Loaded > 0);
        // The pass records its report into the metrics just after writing report.json, its run count last: wait for it.
        var after = await ScrapeAsync(port);
        for (var tries = 0; tries < 100 && Sample(after, "sparkify_runs_total{outcome=\"succeeded\"}") == 0; tries++)
        {
            await Task.Delay(50);
            after = await ScrapeAsync(port);
        }
        watcher.Signal(SparkifyProcess.SigInt);
        Assert.Equal(0, await watcher.WaitForExitAsync());

        Assert.Equal(1, Sample(after, "sparkify_runs_total{outcome=\"succeeded\"}"));
        foreach (var (kind, totals) in report.RecordsByKind)
        {
            Assert.Equal(totals.Read, Sample(after, $"sparkify_records_total{{kind=\"{kind}\",outcome=\"read\"}}"));
            Assert.Equal(totals.Valid, Sample(after, $"sparkify_records_total{{kind=\"{kind}\",outcome=\"valid\"}}"));
            Assert.Equal(totals.Rejected, Sample(after, $"sparkify_records_total{{kind=\"{kind}\",outcome=\"rejected\"}}"));
        }
        Assert.True(report.Records.Rejected > 0);
        foreach (var (reason, count) in report.Records.RejectedByReason!)
            Assert.Equal(count, Sample(after, $"sparkify_rejects_total{{reason=\"{reason}\"}}"));
        Assert.Equal(report.Files.Loaded, Sample(after, "sparkify_files_total{outcome=\"loaded\"}"));
        Assert.Equal(report.BytesRead, Sample(after, "sparkify_read_bytes_total"));
        foreach (var (table, change) in report.Rows)
            Assert.Equal(change.Inserted, Sample(after, $"sparkify_rows_total{{change=\"inserted\",table=\"{table}\"}}"));
        Assert.Equal(report.FinishedAt.ToUnixTimeSeconds(), Sample(after, "sparkify_last_success_seconds"));
        Assert.Equal(report.Seconds.Count, after.Keys.Count(k => k.StartsWith("sparkify_stage_duration_seconds_count", StringComparison.Ordinal)));
        // No location or connection string in any label.
        Assert.DoesNotContain(after.Keys, k => k.Contains(s.Root, StringComparison.Ordinal) || k.Contains("Host=", StringComparison.Ordinal));
    }
}
