using System.Diagnostics.Metrics;
using Sparkify.Stream.Jobs;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>The drift instruments of RunMetrics: one count per finding, contract names as labels, input names never.</summary>
public sealed class RunMetricsTests
{
    private static RunReport Report(DriftReport drift, RunStatus status) => new()
    {
        RunId = "20261203T000000.000Z-00000000",
        Status = status,
        Target = "duckdb",
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        Files = new FileTotals(2, 0, 2),
        Records = new RecordTotals(10, 10, 0),
        RecordsByKind = new Dictionary<string, RecordTotals>(),
        Rows = new Dictionary<string, TableChanges>(),
        Totals = new Dictionary<string, long>(),
        Seconds = new Dictionary<string, double>(),
        PerFile = [],
        Drift = drift,
    };

    [Fact]
    public void Drift_findings_are_counted_by_kind_and_contract_field_and_the_run_by_its_outcome()
    {
        var measured = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RunMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            measured.Add((instrument.Name, value, copy));
        });
        listener.Start();

        using var metrics = new RunMetrics();
        var drift = new DriftReport(
            [
                new UnknownFieldReport("event", "user_id", 4000, 1, "log_data/a.json", "\"46\""),
                new UnknownFieldReport("event", "'; DROP TABLE users; --", 1, 1, "log_data/a.json", "1"),
            ],
            [new VanishedFieldReport("event", "userId", "files", 24000, 4000, 779, 0.2, 0.03, 1, ["log_data/a.json"])]);
        metrics.Record(Report(drift, RunStatus.SchemaDrift));

        var unknown = measured.Where(m => m.Name == "sparkify.drift.unknown_fields").ToList();
        Assert.Equal(2, unknown.Sum(m => m.Value));
        Assert.All(unknown, m => Assert.Equal(["kind"], m.Tags.Keys));   // an input's field name is never a label
        var vanished = Assert.Single(measured, m => m.Name == "sparkify.drift.vanished_fields");
        Assert.Equal((1L, "event", "userId"), (vanished.Value, vanished.Tags["kind"], vanished.Tags["field"]));
        Assert.Contains(measured, m => m.Name == "sparkify.runs" && (string?)m.Tags["outcome"] == "schema_drift");
    }
}
