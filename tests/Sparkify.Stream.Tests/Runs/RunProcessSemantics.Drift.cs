using System.Text.RegularExpressions;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>Schema drift at the process level (`--on-drift`): a renamed field, a new harmless field.</summary>
public abstract partial class RunProcessSemantics
{
    private const string DriftWarning = "schema drift (SchemaDrift rules";

    /// <summary>A generated data set (the history), and one more day whose lines spell a field otherwise.</summary>
    private static string AddRenamedDay(Scenario s, string from, string to, string day = "2018-11-20")
    {
        var source = Directory.EnumerateFiles(s.LogDir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var lines = File.ReadAllLines(source).Select(l => l.Replace($"\"{from}\":", $"\"{to}\":", StringComparison.Ordinal)).ToArray();
        Assert.All(lines.Where(l => l.Length > 0), l => Assert.Contains($"\"{to}\":", l, StringComparison.Ordinal));
        WriteAtomically(s.LogPath(day), lines);
        return $"log_data/{day[..4]}/{day[5..7]}/{day}-events.json";
    }

    private static int Occurrences(string text, string what) => Regex.Count(text, Regex.Escape(what));

    private static async Task<long> FieldCountRowsAsync(TargetUnderTest target, string? where = null)
    {
        await using var warehouse = await target.OpenAsync();
        var result = await warehouse.QueryAsync($"SELECT COUNT(*) FROM sparkify_field_counts{(where is null ? "" : " WHERE " + where)}", default);
        return Convert.ToInt64(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The history's rows of one file as text: field, in_contract, records, missing, nulls, seen, example.</summary>
    private static Task<List<string>> FieldCountsOfAsync(TargetUnderTest target, string key) => RowsAsync(target,
        "SELECT field, in_contract, records, missing, null_count, seen, example FROM sparkify_field_counts " +
        $"WHERE source_key = '{key.Replace("'", "''", StringComparison.Ordinal)}' ORDER BY field");

    /// <summary>A query's rows, each as its values joined by '|'.</summary>
    private static async Task<List<string>> RowsAsync(TargetUnderTest target, string sql)
    {
        await using var warehouse = await target.OpenAsync();
        var result = await warehouse.QueryAsync(sql, default);
        return [.. result.Rows.Select(r => string.Join("|", r.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))))];
    }

    [Fact]
    public async Task A_renamed_field_fails_the_run_with_on_drift_fail_and_is_loaded_with_a_single_warning_with_warn()
    {
        using var s = new Scenario();
        DataGenerator.Generate(new GeneratorOptions(s.Root) { Songs = 40, Events = 3000, Users = 12, Days = 3, Seed = 71 });
        var target = await NewTargetAsync();
        using (var history = await RunToEndAsync(s, target, "--batch"))
        {
            Assert.True(history.ExitCode == 0, history.Describe());
            Assert.Equal(0, Occurrences(history.Stderr, DriftWarning));   // the generator's data is the contract
        }
        var fieldRows = await FieldCountRowsAsync(target);
        var renamed = AddRenamedDay(s, "userId", "user_id");
        var before = await StateAsync(target);

        using (var failing = await RunToEndAsync(s, target, "--batch", "--on-drift", "fail"))
        {
            Assert.True(failing.ExitCode == 3, failing.Describe());
            Assert.Contains("schema drift: event field userId vanished and --on-drift is fail; nothing was loaded",
                failing.Stderr, StringComparison.Ordinal);
        }
        var stopped = Reports(s)[^1];
        Assert.Equal(RunStatus.SchemaDrift, stopped.Status);
        TableAssert.Equal(before, await StateAsync(target), "a run stopped by drift must commit nothing");
        Assert.Equal(fieldRows, await FieldCountRowsAsync(target));

        using var warned = await RunToEndAsync(s, target, "--batch");   // warn is the default
        Assert.True(warned.ExitCode == 0, warned.Describe());
        Assert.Equal(1, Occurrences(warned.Stderr, DriftWarning));
        var report = Reports(s)[^1];
        Assert.Equal((RunStatus.Succeeded, 1), (report.Status, report.Files.Loaded));
        var unknown = Assert.Single(report.Drift!.UnknownFields);
        Assert.Equal(("event", "user_id", 1, renamed), (unknown.Kind, unknown.Field, unknown.Files, unknown.FirstFile));
        Assert.Matches("^\"[0-9]+\"$", unknown.Example);   // a telling example: a user id, not the logged-out ""
        var vanished = Assert.Single(report.Drift.VanishedFields);
        Assert.Equal(("event", "userId"), (vanished.Kind, vanished.Field));
        Assert.Equal([renamed], vanished.FileKeys);
        Assert.Equal(vanished.Records, vanished.Missing);   // missing from every valid event of the file
        Assert.NotNull(vanished.HistoryShareAbsent);
        Assert.True(vanished.HistoryShareAbsent < 0.2, $"history share {vanished.HistoryShareAbsent}");
        var file = Assert.Single(report.PerFile, f => f.Drift is not null);
        Assert.Equal(renamed, file.SourceKey);
        Assert.Equal(["userId"], file.Drift!.VanishedFields);
        Assert.Equal(unknown.Records, file.Drift.UnknownFields["user_id"]);
        Assert.Contains("schema drift", warned.Stdout, StringComparison.Ordinal);   // the summary's table

        // The history holds the new file: its total, userId missing from every valid record, the unknown field with its
        // example (and the other fields some records lacked); a reload replaces these rows, it does not add to them.
        var rows = await FieldCountsOfAsync(target, renamed);
        Assert.Contains($"*|1|{file.Valid}|0|0|{file.Valid}|", rows);
        Assert.Contains($"userId|1|{file.Valid}|{file.Valid}|0|0|", rows);
        Assert.Contains($"user_id|0|{file.Valid}|0|0|{unknown.Records}|{unknown.Example}", rows);
        var grown = await FieldCountRowsAsync(target);
        Assert.Equal(fieldRows + rows.Count, grown);
        using var reload = await RunToEndAsync(s, target, "--batch", "--reload");
        Assert.True(reload.ExitCode == 0, reload.Describe());
        Assert.Equal(grown, await FieldCountRowsAsync(target));
    }

    [Fact]
    public async Task A_new_harmless_field_is_reported_with_an_example_but_does_not_fail_a_run_with_on_drift_fail()
    {
        using var s = new Scenario();
        DataGenerator.Generate(new GeneratorOptions(s.Root) { Songs = 40, Events = 1500, Users = 12, Days = 2, Seed = 72 });
        var source = Directory.EnumerateFiles(s.LogDir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var lines = File.ReadAllLines(source).Where(l => l.Length > 0)
            .Select((l, i) => l.Insert(1, $"\"sessionColor\":\"c{i % 3}\",")).ToArray();
        WriteAtomically(source, lines);
        var target = await NewTargetAsync();

        using var run = await RunToEndAsync(s, target, "--batch", "--on-drift", "fail");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(1, Occurrences(run.Stderr, DriftWarning));
        var report = Reports(s)[^1];
        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Empty(report.Drift!.VanishedFields);
        var unknown = Assert.Single(report.Drift.UnknownFields);
        Assert.Equal(("sessionColor", (long)lines.Length, "\"c0\""), (unknown.Field, unknown.Records, unknown.Example));
        Assert.Equal((0L, report.Records.Read), (report.Records.Rejected, report.Records.Valid));   // not a reject either
    }

    [Fact]
    public async Task A_stager_with_on_drift_fail_writes_no_package_for_a_renamed_field_and_exits_3()
    {
        using var s = new Scenario();
        DataGenerator.Generate(new GeneratorOptions(s.Root) { Songs = 30, Events = 1200, Users = 9, Days = 2, Seed = 73 });
        AddRenamedDay(s, "sessionId", "session_id");
        var target = await NewTargetAsync();

        // A first stage, no history: the renamed file lacks sessionId in every one of its (≥ 100) events.
        using var stage = await RunToEndAsync(s, target, "stage", "--on-drift", "fail");
        Assert.True(stage.ExitCode == 3, stage.Describe());
        var report = Reports(s)[^1];
        Assert.Equal(RunStatus.SchemaDrift, report.Status);
        Assert.Equal("sessionId", Assert.Single(report.Drift!.VanishedFields).Field);
        Assert.Empty(Directory.EnumerateFiles(s.StagingDir, "package.json", SearchOption.AllDirectories));
        using var load = await RunToEndAsync(s, target, "load");
        Assert.True(load.ExitCode == 0, load.Describe());
        Assert.Contains("nothing to load", load.Stderr + load.Stdout, StringComparison.Ordinal);
    }
}
