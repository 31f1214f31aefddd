using System.CommandLine;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Doctor;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>`sparkify doctor`: every step against the configured target and staging area, a row each; exit 0 when all pass.</summary>
internal static class DoctorCommand
{
    public static Command Create(CommonOptions common, TextWriter output)
    {
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("doctor",
            "Prove the configured warehouse and staging area before the first load: connect, privileges, staging " +
            "store, the real COPY of a probe part of each staging table, the real merge over probe rows (rolled " +
            "back). Leaves nothing behind; exit 0 when every step passes, 1 otherwise.\n\n" +
            "Example: sparkify doctor --config dwh.cfg --format json");
        foreach (var option in common.TargetOptions) command.Options.Add(option);
        command.Options.Add(common.Staging);
        command.Options.Add(format);
        command.SetAction(async (result, ct) =>
        {
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            var s3 = InfrastructureFactory.S3ClientOf(options);
            // The default DuckDB file, when the doctor is the first to open it, goes again afterwards.
            var duckDb = options.Target == "duckdb" ? Path.GetFullPath(InfrastructureFactory.DuckDbPath(options)) : null;
            var duckDbExisted = duckDb is not null && File.Exists(duckDb);
            // ... and so do the folders it made for it and for local staging.
            var newFolders = Missing(duckDb is null ? null : Path.GetDirectoryName(duckDb))
                .Concat(S3Uri.IsS3(options.Staging) ? [] : Missing(Path.GetFullPath(options.Staging))).ToList();
            var targets = new DoctorTargets(
                options.Target,
                token => InfrastructureFactory.OpenWarehouseAsync(options, token),
                () => InfrastructureFactory.OpenStaging(options, s3),
                async token => options.Target == "redshift"
                    ? await InfrastructureFactory.CheckRedshiftStagingAsync(options, InfrastructureFactory.OpenStaging(options, s3), s3, token)
                    : null,
                Authentication: token => InfrastructureFactory.AuthenticationAsync(options, token));
            IReadOnlyList<DoctorRow> rows;
            try
            {
                rows = await DoctorRun.RunAsync(targets, ct);
            }
            finally
            {
                if (duckDb is not null && !duckDbExisted)
                {
                    File.Delete(duckDb);
                    File.Delete(duckDb + ".wal");
                }
                if (s3.IsValueCreated) s3.Value.Dispose();
                foreach (var folder in newFolders.Distinct().OrderByDescending(f => f.Length))
                    if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Any(File.Exists))
                        Directory.Delete(folder, recursive: true);
            }
            var table = new QueryResult(["step", "status", "found", "fix"],
                [.. rows.Select(r => new object?[] { r.Step, r.Status, Secrets.Mask(r.Found), Secrets.Mask(r.Fix) })]);
            ConsoleOutput.PrintQuery(output, SparkifyCli.ConsoleFor(output, quiet: false), table, result.GetValue(format)!);
            return rows.Any(r => r.Failed) ? ExitCodes.RunFailed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The folder and those of its parents that do not exist yet.</summary>
    private static IEnumerable<string> Missing(string? folder)
    {
        for (var f = folder; !string.IsNullOrEmpty(f) && !Directory.Exists(f); f = Path.GetDirectoryName(f)) yield return f;
    }
}
