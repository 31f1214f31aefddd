using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Spectre.Console;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>What the commands print on stdout: the run summary and query results.</summary>
internal static class ConsoleOutput
{
    public static void PrintSummary(IAnsiConsole console, RunReport report)
    {
        var seconds = report.Seconds.TryGetValue("total", out var s) ? s : 0;
        console.MarkupLineInterpolated(
            $"[bold]Run {report.RunId}[/] {report.Status.Name()} in {seconds:F2}s on {report.Target}");
        console.MarkupLineInterpolated(
            $"files: {report.Files.Listed} listed, {report.Files.Skipped} skipped (already loaded), {report.Files.Loaded} loaded");
        if (report.Packages is { Count: > 0 } packages && (packages.Count > 1 || packages[0] != report.RunId))
            console.MarkupLineInterpolated($"load packages committed: {string.Join(", ", packages)}");
        var records = new Table().Border(TableBorder.Rounded).Title("records");
        records.AddColumns("kind", "read", "valid", "rejected");
        foreach (var (kind, totals) in report.RecordsByKind)
            records.AddRow(kind, N(totals.Read), N(totals.Valid), N(totals.Rejected));
        records.AddRow("[bold]all[/]", N(report.Records.Read), N(report.Records.Valid), N(report.Records.Rejected));
        console.Write(records);
        if (report.Records.RejectedByReason is { Count: > 0 } reasons)
        {
            var rejects = new Table().Border(TableBorder.Rounded).Title("rejects by reason");
            rejects.AddColumns("reason", "records");
            foreach (var (reason, count) in reasons) rejects.AddRow(reason, N(count));
            console.Write(rejects);
            if (report.RejectsFile is { } file) console.MarkupLineInterpolated($"rejected records: {file}");
        }
        if (report.Drift is { Found: true } drift)
        {
            var findings = new Table().Border(TableBorder.Rounded).Title("schema drift");
            findings.AddColumns("kind", "field", "finding", "records", "files", "detail");
            foreach (var v in drift.VanishedFields)
            {
                findings.AddRow(v.Kind, Markup.Escape(v.Field), "[yellow]vanished[/]", N(v.Records), N(v.Files),
                    Markup.Escape($"{v.ShareAbsent:P1} absent ({N(v.Missing)} missing, {N(v.Nulls)} null), history " +
                                  (v.HistoryShareAbsent is { } h ? h.ToString("P1", CultureInfo.InvariantCulture) : "none") +
                                  (v.FileKeys.Count > 0 ? $"; {v.FileKeys[0]}" : "")));
            }
            foreach (var u in drift.UnknownFields)
            {
                findings.AddRow(u.Kind, Markup.Escape(u.Field), "not in contract", N(u.Records), N(u.Files),
                    Markup.Escape($"e.g. {u.Example}; {u.FirstFile}"));
            }
            console.Write(findings);
        }
        var tables = new Table().Border(TableBorder.Rounded).Title("star schema");
        tables.AddColumns("table", "inserted", "updated", "deleted", "total rows");
        foreach (var (table, change) in report.Rows)
            tables.AddRow(table, N(change.Inserted), N(change.Updated), N(change.Deleted),
                report.Totals.TryGetValue(table, out var total) ? N(total) : "");
        console.Write(tables);
        var stages = string.Join(", ", report.Seconds.Select(p => $"{p.Key} {p.Value:F2}s"));
        console.MarkupLineInterpolated($"seconds: {stages}");
        console.MarkupLineInterpolated(
            $"{report.EventsPerSecond:N0} events/s, {report.BytesRead / 1048576.0:F1} MB read, peak memory {report.PeakMemoryMb:F0} MB");
        if (report.Error is { } error) console.MarkupLineInterpolated($"[red]{error}[/]");
    }

    /// <param name="escapeFormulas">
    /// CSV: write a cell that starts with = + - @ tab or CR as a quoted text with a leading ' (CsvHelper's
    /// InjectionOptions.Escape), for output that holds input text a spreadsheet would run; not for query results,
    /// whose negative numbers would become text.
    /// </param>
    public static void PrintQuery(TextWriter output, IAnsiConsole console, QueryResult result, string format,
        bool escapeFormulas = false)
    {
        switch (format)
        {
            case "csv":
                var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
                {
                    InjectionOptions = escapeFormulas ? InjectionOptions.Escape : InjectionOptions.None,
                };
                using (var csv = new CsvWriter(output, configuration, leaveOpen: true))
                {
                    foreach (var column in result.Columns) csv.WriteField(column);
                    csv.NextRecord();
                    foreach (var row in result.Rows)
                    {
                        foreach (var value in row) csv.WriteField(Format(value));
                        csv.NextRecord();
                    }
                }
                break;
            case "json":
                var rows = result.Rows.Select(r => result.Columns.Select((c, i) => (c, v: r[i]))
                    .ToDictionary(p => p.c, p => JsonValue(p.v)));
                output.WriteLine(JsonSerializer.Serialize(rows, JsonOutput));
                break;
            default:
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var column in result.Columns) table.AddColumn(Markup.Escape(column));
                foreach (var row in result.Rows) table.AddRow(row.Select(v => Markup.Escape(Format(v))).ToArray());
                console.Write(table);
                break;
        }
    }

    // Only what JSON requires escaped (quotes, backslashes, control characters): a raw record reads as it was, not as
    // \u0022 and \u002B, and stays exact. Printed to a terminal or file, never into HTML.
    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Format(object? value) => value switch
    {
        null => "",
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object? JsonValue(object? value) => value switch
    {
        DateTime dt => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
        System.Numerics.BigInteger b => (long)b,
        decimal m => m,
        _ => value,
    };

    public static Encoding Utf8 { get; } = new UTF8Encoding(false);
}
