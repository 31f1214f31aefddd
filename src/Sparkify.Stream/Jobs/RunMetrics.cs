using System.Diagnostics.Metrics;

namespace Sparkify.Stream.Jobs;

/// <summary>
/// What a watcher is asked about, as <c>System.Diagnostics.Metrics</c> instruments of the meter
/// <see cref="MeterName"/> (exported by OpenTelemetry: Prometheus in watch mode, OTLP when configured). Recorded from
/// each pass's report, so the figures are the report's. Labels are kinds, reasons, tables and stages — never a
/// location, a connection string or a secret.
/// </summary>
internal sealed class RunMetrics : IDisposable
{
    public const string MeterName = "Sparkify.Stream";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _runs, _records, _rejects, _files, _bytes, _rows, _unknownFields, _vanishedFields;
    private readonly Histogram<double> _seconds;
    /// <summary>Seconds, from a quick list to a backfill of hours (the SDK's default buckets are milliseconds').</summary>
    private static readonly double[] StageBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private long _lastSuccess;   // Unix seconds of the last pass that committed a load; 0: none yet

    public RunMetrics()
    {
        _runs = _meter.CreateCounter<long>("sparkify.runs", description: "passes by outcome: succeeded, staged, reject_limit, schema_drift, failed");
        _records = _meter.CreateCounter<long>("sparkify.records", description: "records by kind (event, song) and outcome (read, valid, rejected)");
        _rejects = _meter.CreateCounter<long>("sparkify.rejects", description: "rejected records by reason");
        _files = _meter.CreateCounter<long>("sparkify.files", description: "input files by outcome (listed, skipped, loaded)");
        _bytes = _meter.CreateCounter<long>("sparkify.read", unit: "By", description: "bytes read from the sources");
        _rows = _meter.CreateCounter<long>("sparkify.rows", description: "star-schema rows changed, by table and change (inserted, updated, deleted)");
        _unknownFields = _meter.CreateCounter<long>("sparkify.drift.unknown_fields",
            description: "fields outside the contract found in a pass, by kind (the names are in report.json)");
        _vanishedFields = _meter.CreateCounter<long>("sparkify.drift.vanished_fields",
            description: "contract fields found vanished in a pass, by kind and field");
        _seconds = _meter.CreateHistogram("sparkify.stage.duration", unit: "s", description: "seconds per stage of a pass",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        _meter.CreateObservableGauge("sparkify.last_success", () => Interlocked.Read(ref _lastSuccess), unit: "s",
            description: "Unix time of the last pass that committed a load (0: none since the process started)");
    }

    /// <summary>Adds one pass's report.</summary>
    public void Record(RunReport report)
    {
        foreach (var (kind, totals) in report.RecordsByKind)
        {
            _records.Add(totals.Read, Tag("kind", kind), Tag("outcome", "read"));
            _records.Add(totals.Valid, Tag("kind", kind), Tag("outcome", "valid"));
            _records.Add(totals.Rejected, Tag("kind", kind), Tag("outcome", "rejected"));
        }
        foreach (var (reason, count) in report.Records.RejectedByReason ?? new Dictionary<string, long>())
            _rejects.Add(count, Tag("reason", reason));
        _files.Add(report.Files.Listed, Tag("outcome", "listed"));
        _files.Add(report.Files.Skipped, Tag("outcome", "skipped"));
        _files.Add(report.Files.Loaded, Tag("outcome", "loaded"));
        _bytes.Add(report.BytesRead);
        foreach (var (table, change) in report.Rows)
        {
            _rows.Add(change.Inserted, Tag("table", table), Tag("change", "inserted"));
            _rows.Add(change.Updated, Tag("table", table), Tag("change", "updated"));
            _rows.Add(change.Deleted, Tag("table", table), Tag("change", "deleted"));
        }
        foreach (var (stage, seconds) in report.Seconds) _seconds.Record(seconds, Tag("stage", stage));
        // Field names from the input are not labels (unbounded, and not ours to trust); contract names are.
        foreach (var unknown in report.Drift?.UnknownFields ?? []) _unknownFields.Add(1, Tag("kind", unknown.Kind));
        foreach (var vanished in report.Drift?.VanishedFields ?? [])
            _vanishedFields.Add(1, Tag("kind", vanished.Kind), Tag("field", vanished.Field));
        if (report.Status == RunStatus.Succeeded && report.Files.Loaded > 0)
            Interlocked.Exchange(ref _lastSuccess, report.FinishedAt.ToUnixTimeSeconds());
        // Last: a scrape that counts the pass sees every other figure of it too.
        _runs.Add(1, new KeyValuePair<string, object?>("outcome", report.Status.Name()));
    }

    /// <summary>A pass that failed (nothing committed; it wrote no report).</summary>
    public void Failed() => _runs.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    public void Dispose() => _meter.Dispose();
}
