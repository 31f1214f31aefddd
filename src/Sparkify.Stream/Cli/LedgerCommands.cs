using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using DotNet.Globbing;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>
/// The load state: <c>sparkify files</c> lists the load ledger, <c>sparkify forget PATTERN…</c> takes files out of it
/// so the next run reads them again (dlt's <c>pipeline info</c> and <c>drop</c>).
/// </summary>
internal static partial class LedgerCommands
{
    /// <summary>Matching files <c>forget</c> names before it asks; <c>--verbose</c> names them all.</summary>
    internal const int ListedBeforeAsking = 20;

    public static Command Files(CommonOptions common, TextWriter output, TextWriter errors)
    {
        var kind = new Option<string?>("--kind") { Description = "only song files, or only log files (log or event)", HelpName = "song|log" };
        kind.AcceptOnlyFromAmong("song", "log", "event");
        var since = new Option<string?>("--since")
        {
            Description = "only files loaded at or after D: YYYY-MM-DD (UTC midnight) or an ISO date-time (2018-11-05T12:00:00Z)",
            HelpName = "D",
        };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("files",
            "List the load ledger: every file loaded so far, with its version, size, records read/valid/rejected, the run " +
            "that loaded it and when, in file order. Reads the warehouse only (DuckDB opened read-only).\n\n" +
            "Example: sparkify files --kind log --since 2026-12-01 --format csv");
        foreach (var option in common.TargetOptions) command.Options.Add(option);
        command.Options.Add(kind);
        command.Options.Add(since);
        command.Options.Add(format);
        command.SetAction(async (result, ct) =>
        {
            var filter = new LedgerFilter(KindOf(result.GetValue(kind)), SinceOf(result.GetValue(since)));
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            using var loggers = SparkifyCli.CommandLoggers(result, common, errors);
            var files = await ReadAsync(options, loggers.CreateLogger("sparkify.warehouse"), filter, ct);
            var table = new QueryResult(
                ["file", "kind", "version", "size", "records_read", "records_valid", "records_rejected", "run_id", "loaded_at"],
                [.. files.Select(f => new object?[]
                {
                    f.Key, f.Kind, f.Version, f.Size, f.RecordsRead, f.RecordsValid, f.RecordsRejected, f.RunId, f.LoadedAt,
                })]);
            var chosen = result.GetValue(format)!;
            ConsoleOutput.PrintQuery(output, SparkifyCli.ConsoleFor(output, quiet: false), table, chosen);
            if (chosen == "table") await output.WriteLineAsync(Count(files));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Forget(CommonOptions common, TextWriter output, TextWriter errors, TextReader input)
    {
        var patterns = new Argument<string[]>("pattern")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "glob patterns over the recorded file keys (see 'sparkify files'), each matching whole keys: " +
                          "* within one path segment, ** across segments, ?, [abc], [a-z], [!a]; case-sensitive. Quote them " +
                          "so the shell leaves them alone",
            HelpName = "PATTERN",
        };
        var yes = new Option<bool>("--yes", "-y") { Description = "forget without asking" };
        var command = new Command("forget",
            "Take files out of the load ledger so that the next run reads them again (their schema-drift history goes " +
            "too; the loaded rows stay, and the re-read gives the same star schema). Lists the matching files and asks " +
            "first unless --yes; runs under the lock a load takes.\n\n" +
            "Example: sparkify forget 'log_data/2018/11/2018-11-0[12]-*' && sparkify --batch");
        command.Arguments.Add(patterns);
        command.Options.Add(yes);
        foreach (var option in common.TargetOptions) command.Options.Add(option);
        command.SetAction(async (result, ct) =>
        {
            var globs = Parse(result.GetValue(patterns)!);   // a bad pattern is refused before anything is opened
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            var quiet = result.GetValue(common.Quiet);
            using var loggers = SparkifyCli.CommandLoggers(result, common, errors);
            var logger = loggers.CreateLogger("sparkify.warehouse");
            // Read, then let go of the warehouse while the question waits: a DuckDB file held open would stop every run.
            var keys = Match(globs, (await ReadAsync(options, logger, LedgerFilter.All, ct)).Select(f => f.Key));
            if (!quiet) await ListAsync(output, keys, result.GetValue(common.Verbose) ? int.MaxValue : ListedBeforeAsking);
            if (!result.GetValue(yes) && !await ConfirmAsync(errors, input, keys.Count, ct))
            {
                await errors.WriteLineAsync("nothing forgotten");
                return ExitCodes.RunFailed;
            }
            await using var warehouse = await SparkifyCli.OpenExistingWarehouseAsync(options, logger, ct);
            var forgotten = await warehouse.ForgetAsync(keys, ct);
            if (!quiet)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"forgot {forgotten:N0} {Files(forgotten)} on {warehouse.Target}: the next run reads {(forgotten == 1 ? "it" : "them")} again"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The ledger's files as they are: the warehouse opened unchanged (DuckDB read-only) and let go of again.</summary>
    private static async Task<IReadOnlyList<LedgerFile>> ReadAsync(SparkifyOptions options,
        Microsoft.Extensions.Logging.ILogger logger, LedgerFilter filter, CancellationToken ct)
    {
        await using var warehouse = await SparkifyCli.OpenUnchangedAsync(options, logger, ct);
        await SparkifyCli.RequireLedgerAsync(warehouse, options, ct);
        return await warehouse.ReadLedgerFilesAsync(filter, ct);
    }

    /// <summary>--kind: song, or log (the ledger's "event"); null for every kind.</summary>
    internal static RecordKind? KindOf(string? kind) => kind switch
    {
        null => null,
        "song" => RecordKind.Song,
        "log" or "event" => RecordKind.Event,
        _ => throw new ConfigurationException($"--kind must be song or log, not '{kind}'"),
    };

    /// <summary>--since: a date (its UTC midnight) or an ISO 8601 date-time (UTC unless it names an offset), as UTC.</summary>
    internal static DateTime? SinceOf(string? since)
    {
        if (since is null) return null;
        var text = since.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (IsoDateTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at.UtcDateTime;
        throw new ConfigurationException(
            $"--since must be a date (YYYY-MM-DD, UTC midnight) or an ISO date-time such as 2018-11-05T12:00:00Z, not '{since}'");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?\z")]
    private static partial Regex IsoDateTime();

    /// <summary>The patterns as globs (DotNet.Glob); one that is not a valid glob is exit 2, naming it.</summary>
    internal static IReadOnlyList<(string Pattern, Glob Glob)> Parse(IReadOnlyList<string> patterns) =>
        [.. patterns.Select(p =>
        {
            if (p.Trim().Length == 0) throw new ConfigurationException("forget: an empty pattern matches no file");
            try
            {
                return (p, Glob.Parse(p));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                throw new ConfigurationException($"forget: '{p}' is not a glob pattern ({e.Message})");
            }
        })];

    /// <summary>
    /// The keys any pattern matches, in key order. A pattern that matches no recorded key is exit 2 naming it (a
    /// mistyped pattern must not forget the others' files on its own).
    /// </summary>
    internal static IReadOnlyList<string> Match(IReadOnlyList<(string Pattern, Glob Glob)> globs, IEnumerable<string> keys)
    {
        var all = keys.ToList();
        var unmatched = globs.Where(g => !all.Any(g.Glob.IsMatch)).Select(g => $"'{g.Pattern}'").ToList();
        if (unmatched.Count > 0)
        {
            throw new ConfigurationException(
                $"no loaded file matches {string.Join(", ", unmatched)} (patterns match whole keys such as " +
                $"log_data/2018/11/2018-11-01-events.json; 'sparkify files' lists them): nothing forgotten");
        }
        return [.. all.Where(k => globs.Any(g => g.Glob.IsMatch(k))).Order(StringComparer.Ordinal)];
    }

    /// <summary>"N files match:", then the first <paramref name="limit"/> keys and "… and M more".</summary>
    private static async Task ListAsync(TextWriter output, IReadOnlyList<string> keys, int limit)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{keys.Count:N0} {Files(keys.Count)} match:"));
        foreach (var key in keys.Take(limit)) await output.WriteLineAsync($"  {key}");
        if (keys.Count > limit)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  … and {keys.Count - limit:N0} more (--verbose lists them all)"));
        }
    }

    /// <summary>Asks on <paramref name="errors"/> and reads one line: y or yes (any case) is yes; anything else, end of input too, is no.</summary>
    private static async Task<bool> ConfirmAsync(TextWriter errors, TextReader input, int count, CancellationToken ct)
    {
        await errors.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"Forget {count:N0} {Files(count)}? The next run reads {(count == 1 ? "it" : "them")} again. [y/N] "));
        await errors.FlushAsync(ct);
        var answer = (await input.ReadLineAsync(ct))?.Trim();
        // An answer typed on a terminal ends the prompt's line; one piped in (or none) does not.
        if (input != Console.In || Console.IsInputRedirected) await errors.WriteLineAsync();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }

    private static string Files(long count) => count == 1 ? "file" : "files";

    /// <summary>"3 files: 1 song, 2 event".</summary>
    private static string Count(IReadOnlyList<LedgerFile> files) =>
        string.Create(CultureInfo.InvariantCulture, $"{files.Count:N0} {Files(files.Count)}") +
        (files.Count == 0 ? "" : ": " + string.Join(", ", files.GroupBy(f => f.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key}"))));
}
