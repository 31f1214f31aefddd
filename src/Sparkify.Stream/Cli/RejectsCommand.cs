using System.CommandLine;
using System.Globalization;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary><c>sparkify rejects [RUN_ID|latest]</c>: a run's rejects.csv, grouped by reason and field.</summary>
internal static class RejectsCommand
{
    /// <summary>Characters of a raw record in a table or CSV cell; JSON prints it whole.</summary>
    internal const int SampleChars = 60;

    public static Command Create(CommonOptions common, TextWriter output)
    {
        var run = new Argument<string>("run")
        {
            Description = "a run id (a folder under runs/ of the staging area) or 'latest': the newest run whose report.json names a rejects.csv",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => RejectSummary.Latest,
            HelpName = "RUN_ID|latest",
        };
        var format = new Option<string>("--format")
        {
            Description = "table, csv or json (json prints each raw record whole and exact)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var all = new Option<bool>("--all") { Description = "every reject, one row each, in file order, instead of the groups" };
        var command = new Command("rejects",
            "Show a run's rejected records grouped by reason and field: count, first file:line, message and raw sample, " +
            "read from its rejects.csv in the staging area (local or S3).\n\n" +
            "Example: sparkify rejects latest --staging s3://bucket/staging --format json");
        command.Arguments.Add(run);
        command.Options.Add(common.Config);
        command.Options.Add(common.Staging);
        command.Options.Add(format);
        command.Options.Add(all);
        command.SetAction(async (result, ct) =>
        {
            var options = ConfigurationLoader.Load(result.GetValue(common.Config), common.ToConfiguration(result));
            var store = InfrastructureFactory.OpenStaging(options, InfrastructureFactory.S3ClientOf(options));
            var found = await RejectSummary.FindRunAsync(store, result.GetValue(run)!, ct);
            var chosen = result.GetValue(format)!;
            var rejects = RejectSummary.ReadAsync(store, found, ct);
            var table = result.GetValue(all)
                ? await EveryRejectAsync(rejects, chosen == "json", ct)
                : Groups(await RejectSummary.GroupAsync(rejects, ct), chosen == "json");
            if (chosen == "table")
            {
                var records = found.Report.Records;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"run {found.RunId}: {records.Rejected:N0} of {records.Read:N0} records rejected; {store.UrlOf(found.RejectsPath)}"));
            }
            ConsoleOutput.PrintQuery(output, SparkifyCli.ConsoleFor(output, quiet: false), table, chosen, escapeFormulas: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static QueryResult Groups(IReadOnlyList<RejectGroup> groups, bool whole) => new(
        ["reason", "field", "count", "first", "message", "raw"],
        [.. groups.Select(g => new object?[] { g.Reason, g.Field, g.Count, g.FirstAt, Text(g.First.Message, whole), Raw(g.First, whole) })]);

    private static async Task<QueryResult> EveryRejectAsync(IAsyncEnumerable<Reject> rejects, bool whole, CancellationToken ct)
    {
        var rows = new List<object?[]>();
        await foreach (var r in rejects.WithCancellation(ct))
            rows.Add([r.SourceKey, (long)r.Line, r.Kind, r.Reason, r.Field, Text(r.Message, whole), Raw(r, whole)]);
        return new QueryResult(RejectsCsv.Header, rows);
    }

    private static string Raw(Reject reject, bool whole) => whole ? reject.Raw : RejectSummary.Sample(reject.Raw, SampleChars);

    private static string Text(string message, bool whole) => whole ? message : RejectSummary.Sample(message, int.MaxValue);
}
