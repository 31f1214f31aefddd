using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary><c>sparkify load</c> and <c>sparkify packages</c>: the loader's half of staging on many machines.</summary>
internal static class PackageCommands
{
    public static Command Load(CommonOptions common, TextWriter output, TextWriter errors)
    {
        var packages = new Option<string[]>("--package")
        {
            Description = "load only these packages (run ids, see 'sparkify packages'); default: every pending one",
            HelpName = "ID",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("load",
            "Load every staged package not loaded yet (or the ones named) in one transaction: one COPY per staging " +
            "table over all their parts, the merge, the ledger.\n\nExample: sparkify load --target redshift --staging s3://bucket/staging");
        foreach (var option in new Option[] { common.Config, common.Songs, common.Logs, common.Staging, common.Target,
                     common.Connection, common.Report, common.Quiet, common.Verbose })
            command.Options.Add(option);
        command.Options.Add(packages);
        command.SetAction(async (result, ct) =>
        {
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            RunReport.CheckWritable(options.ReportPath);
            var quiet = result.GetValue(common.Quiet);
            using var loggers = Logging.Create(errors, quiet ? LogLevel.Error : null, result.GetValue(common.Verbose));
            var logger = loggers.CreateLogger("sparkify");
            foreach (var warning in options.Warnings) CliLog.ConfigurationWarning(logger, warning);
            var onPhase = TestPause.FromEnvironment()?.Hook(logger);
            await using var infrastructure = await InfrastructureFactory.OpenAsync(
                options, loggers.CreateLogger("sparkify.warehouse"), holdWarehouse: true, ct);
            var job = new LoadJob(options, infrastructure, logger, result.GetValue(packages) ?? [], onPhase);
            var report = await job.RunAsync(ct);
            var console = SparkifyCli.ConsoleFor(output, quiet);
            if (report is not null) ConsoleOutput.PrintSummary(console, report);
            else if (!quiet) await output.WriteLineAsync("nothing to load: no staged package is waiting");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List(CommonOptions common, TextWriter output)
    {
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("packages",
            "List the load packages of the staging area: state, shard, files, rows, age.\n\nExample: sparkify packages --staging s3://bucket/staging --format json");
        command.Options.Add(common.Config);
        command.Options.Add(common.Staging);
        command.Options.Add(format);
        command.SetAction(async (result, ct) =>
        {
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            var s3 = InfrastructureFactory.S3ClientOf(options);
            var store = new PackageStore(InfrastructureFactory.OpenStaging(options, s3));
            var listed = await store.ListAsync(ct);
            var now = DateTimeOffset.UtcNow;
            var rows = listed.Select(p => new object?[]
            {
                p.RunId, p.Status.State.Name(), p.Package.Shard, (long)p.Package.Files.Count,
                Rows(p, "staging_events"), Rows(p, "staging_songs"),
                p.Package.CreatedAt.UtcDateTime, Age(now - p.Package.CreatedAt), p.Status.UpdatedAt.UtcDateTime,
                p.Status.ByRun, p.Status.Error,
            }).ToList();
            var table = new QueryResult(
                ["run_id", "state", "shard", "files", "events", "songs", "created_at", "age", "updated_at", "by_run", "error"], rows);
            ConsoleOutput.PrintQuery(output, SparkifyCli.ConsoleFor(output, quiet: false), table, result.GetValue(format)!);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The rows a package staged into <paramref name="table"/> (0 when it names none).</summary>
    internal static long Rows(StoredPackage package, string table) =>
        package.Package.Rows.TryGetValue(table, out var n) ? n : 0;

    /// <summary>"45s", "12m", "3.5h", "2.1d".</summary>
    internal static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 0 => "0s",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:F0}s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:F0}m"),
        < 86400 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:F1}h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:F1}d"),
    };
}
