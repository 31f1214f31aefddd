using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>
/// `sparkify files` and `sparkify forget` on DuckDB, end to end in-process: files lists exactly the ledger, filtered by
/// kind and load time; forget's patterns, its question and its refusals; and forget + run reloads exactly the forgotten
/// files, giving the star schema of a clean load. (Postgres, the Redshift scripts and the load lock: the integration
/// tests; every target's warehouse-level rule: StarSchemaSemantics.Forget.)
/// </summary>
public sealed class LedgerCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-ledger-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Db => Path.Combine(_dir, "w.duckdb");
    private string Data => Path.Combine(_dir, "data");

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.RunAsync(args);

    private static Task<(int Code, string Out, string Err)> Answering(string answer, params string[] args) =>
        CliRun.AnsweringAsync(answer, args);

    /// <summary>Four days of logs (2018-11-01 … 04) and 40 song files, generated.</summary>
    private void Generate() =>
        DataGenerator.Generate(new GeneratorOptions(Data) { Songs = 40, Events = 800, Users = 20, Days = 4, Seed = 7 });

    /// <summary>One batch run of the generated data into <paramref name="db"/>; its report.</summary>
    private async Task<RunReport> LoadAsync(string db, string name = "run")
    {
        var report = Path.Combine(_dir, name + ".json");
        var run = await Run("--batch", "--songs", Path.Combine(Data, "song_data"), "--logs", Path.Combine(Data, "log_data"),
            "--staging", Path.Combine(_dir, "staging-" + Path.GetFileNameWithoutExtension(db)), "--connection", db,
            "--report", report, "-q");
        Assert.True(run.Code == 0, run.Err);
        return RunReport.Parse(await File.ReadAllBytesAsync(report));
    }

    /// <summary>The ledger as `sparkify files --format json` prints it: key → (kind, run_id).</summary>
    private async Task<Dictionary<string, (string Kind, string RunId)>> FilesAsync(params string[] filter)
    {
        var files = await Run(["files", "--connection", Db, "--format", "json", .. filter]);
        Assert.True(files.Code == 0, files.Err);
        return JsonDocument.Parse(files.Out).RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("file").GetString()!,
            f => (f.GetProperty("kind").GetString()!, f.GetProperty("run_id").GetString()!));
    }

    /// <summary>Every ledger row, read directly (read-only), each column as text.</summary>
    private async Task<List<string>> LedgerAsync(string db)
    {
        await using var warehouse = (await DuckDbWarehouse.OpenReadOnlyAsync(db, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            TimeSpan.Zero, CancellationToken.None))!;
        return await Tables.DumpAsync(warehouse, "sparkify_load_ledger");
    }

    private async Task<Dictionary<string, List<string>>> StarAsync(string db)
    {
        await using var warehouse = await DuckDbWarehouse.OpenAsync(db, CancellationToken.None);
        return await Tables.DumpAllAsync(warehouse);
    }

    private string Hash() => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Db)));

    [Theory]
    [InlineData("log_data/2018/11/2018-11-0[12]-*", "log_data/2018/11/2018-11-01-events.json", true)]
    [InlineData("log_data/2018/11/2018-11-0[12]-*", "log_data/2018/11/2018-11-03-events.json", false)]
    [InlineData("log_data/2018/11/2018-11-0[!12]-*", "log_data/2018/11/2018-11-03-events.json", true)]
    [InlineData("log_data/2018/11/2018-11-0[!12]-*", "log_data/2018/11/2018-11-02-events.json", false)]
    [InlineData("log_data/2018/11/2018-11-0[0-1]-*", "log_data/2018/11/2018-11-01-events.json", true)]
    [InlineData("log_data/2018/11/2018-11-0[2-4]-*", "log_data/2018/11/2018-11-01-events.json", false)]
    [InlineData("log_data/*", "log_data/2018/11/2018-11-01-events.json", false)]            // * stays within a segment
    [InlineData("log_data/*/*/*", "log_data/2018/11/2018-11-01-events.json", true)]
    [InlineData("log_data/**", "log_data/2018/11/2018-11-01-events.json", true)]            // ** crosses them
    [InlineData("**/2018-11-01-events.json", "log_data/2018/11/2018-11-01-events.json", true)]
    [InlineData("**/*.json", "song_data/A/A/D/TRAADPF128FB8E56A7.json", true)]
    [InlineData("song_data/A/A/?/*.json", "song_data/A/A/D/TRAADPF128FB8E56A7.json", true)]
    [InlineData("song_data/A/A/??/*.json", "song_data/A/A/D/TRAADPF128FB8E56A7.json", false)]
    [InlineData("song_data/a/a/d/*", "song_data/A/A/D/TRAADPF128FB8E56A7.json", false)]     // case-sensitive
    [InlineData("2018-11-01-events.json", "log_data/2018/11/2018-11-01-events.json", false)] // whole keys only
    [InlineData("**/log_data/**", "s3://bucket/prefix/log_data/2018/11/2018-11-01-events.json", true)]
    public void A_pattern_matches_whole_keys_star_within_a_segment_double_star_across(string pattern, string key, bool matches)
    {
        var globs = LedgerCommands.Parse([pattern]);
        if (matches) Assert.Equal([key], LedgerCommands.Match(globs, [key, "other/key.txt"]));
        else Assert.Throws<ConfigurationException>(() => LedgerCommands.Match(globs, [key]));
    }

    [Fact]
    public void Keys_matched_by_several_patterns_are_listed_once_in_key_order_and_an_unmatched_pattern_is_named()
    {
        string[] keys = ["log_data/2018/11/2018-11-02-events.json", "log_data/2018/11/2018-11-01-events.json", "song_data/A/x.json"];
        Assert.Equal(keys[..2].Reverse(), LedgerCommands.Match(LedgerCommands.Parse(["log_data/**", "**/2018-11-01-*"]), keys));
        var error = Assert.Throws<ConfigurationException>(() =>
            LedgerCommands.Match(LedgerCommands.Parse(["log_data/**", "song_data/B/*", "nope"]), keys));
        Assert.Contains("no loaded file matches 'song_data/B/*', 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => LedgerCommands.Parse([" "]));
    }

    [Theory]
    [InlineData("2018-11-05", "2018-11-05 00:00:00")]
    [InlineData("2018-11-05T12:30:00Z", "2018-11-05 12:30:00")]
    [InlineData("2018-11-05T12:30:00+02:00", "2018-11-05 10:30:00")]
    [InlineData("2018-11-05 12:30", "2018-11-05 12:30:00")]
    [InlineData("2018-11-05T12:30:00.250", "2018-11-05 12:30:00")]
    public void Since_is_a_date_at_utc_midnight_or_an_iso_date_time_in_utc(string text, string utc)
    {
        var since = LedgerCommands.SinceOf(text)!.Value;
        Assert.Equal(DateTimeKind.Utc, since.Kind);
        Assert.Equal(utc, since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("05/11/2018")]
    [InlineData("2018-13-01")]
    [InlineData("2018-11-05T25:00:00Z")]
    [InlineData("2018-11-05'; DROP TABLE songplays; --")]
    public void A_bad_since_is_a_usage_error(string text) =>
        Assert.Contains("--since must be a date", Assert.Throws<ConfigurationException>(() => LedgerCommands.SinceOf(text)).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Forget_deletes_in_chunks_of_500_keys_each_a_quoted_literal()
    {
        var keys = Enumerable.Range(0, 1001).Select(i => $"log_data/{i:D4}-it's.json").ToList();
        var scripts = LedgerSql.Forget(new SqlScripts("postgres"), keys).ToList();

        Assert.Equal(3, scripts.Count);
        var statements = scripts.Select(SqlScripts.Split).ToList();
        Assert.All(statements, s => Assert.Equal(2, s.Count));   // field counts, then the ledger
        Assert.Equal([500, 500, 1], statements.Select(s => s[1].Text.Split("', '").Length));
        Assert.Equal("sparkify_load_ledger.deleted", statements[0][1].Metric);
        Assert.Contains("IN ('log_data/0000-it''s.json', 'log_data/0001-it''s.json'", statements[0][0].Text, StringComparison.Ordinal);
        Assert.EndsWith("IN ('log_data/1000-it''s.json')", statements[2][1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/log_data/x\\'); DROP TABLE songplays; --")]
    [InlineData("log_data/a\nb.json")]
    public void A_key_that_a_literal_cannot_hold_safely_on_every_target_is_refused(string key)
    {
        var keys = new[] { "log_data/fine.json", key.Replace("\\n", "\n", StringComparison.Ordinal) };
        foreach (var dialect in new[] { "duckdb", "postgres", "redshift" })
            Assert.Contains("nothing forgotten", Assert.Throws<ConfigurationException>(() => LedgerSql.Forget(new SqlScripts(dialect), keys)).Message,
                StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_lists_exactly_the_ledger_by_kind_and_load_time()
    {
        Generate();
        var report = await LoadAsync(Db);
        var songFiles = Directory.GetFiles(Path.Combine(Data, "song_data"), "*.json", SearchOption.AllDirectories).Length;

        var all = await FilesAsync();
        Assert.Equal(report.Files.Loaded, all.Count);
        Assert.Equal((await LedgerAsync(Db)).Select(r => r.Split('|')[0]).Order(StringComparer.Ordinal), all.Keys);
        Assert.All(all.Values, f => Assert.Equal(report.RunId, f.RunId));
        Assert.Equal(songFiles, all.Values.Count(f => f.Kind == "song"));
        Assert.Equal(4, all.Values.Count(f => f.Kind == "event"));
        Assert.Equal(all.Where(f => f.Value.Kind == "song").Select(f => f.Key), (await FilesAsync("--kind", "song")).Keys);
        Assert.Equal(all.Where(f => f.Value.Kind == "event").Select(f => f.Key), (await FilesAsync("--kind", "log")).Keys);
        Assert.Equal((await FilesAsync("--kind", "log")).Keys, (await FilesAsync("--kind", "event")).Keys);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(all.Keys, (await FilesAsync("--since", today)).Keys);
        Assert.Empty(await FilesAsync("--since", DateTime.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));

        var table = await Run("files", "--connection", Db);
        Assert.Equal(0, table.Code);
        Assert.Contains($"{all.Count} files: 4 event, {songFiles} song", table.Out, StringComparison.Ordinal);
        Assert.Contains("│ log_data/2018/11/2018-11-01-events.json │ event │", table.Out, StringComparison.Ordinal);
        var csv = await Run("files", "--connection", Db, "--format", "csv", "--kind", "log");
        Assert.StartsWith("file,kind,version,size,records_read,records_valid,records_rejected,run_id,loaded_at\n" +
                          "log_data/2018/11/2018-11-01-events.json,event,", csv.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--kind", "logs", "'logs' not recognized")]
    [InlineData("--since", "last week", "--since must be a date")]
    public async Task Files_with_a_bad_filter_is_exit_2_saying_why(string option, string value, string message)
    {
        Generate();
        await LoadAsync(Db);
        var bad = await Run("files", "--connection", Db, option, value);
        Assert.Equal(2, bad.Code);
        Assert.Contains(message, bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_and_forget_on_a_missing_warehouse_are_exit_2_and_make_no_file()
    {
        var files = await Run("files", "--connection", Db);
        Assert.Equal(2, files.Code);
        Assert.Contains($"no warehouse at {Db}", files.Err, StringComparison.Ordinal);
        var forget = await Run("forget", "**", "--yes", "--connection", Db);
        Assert.Equal(2, forget.Code);
        Assert.Contains($"no warehouse at {Db}", forget.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Db), "files or forget made a warehouse");
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Forget_then_run_reloads_exactly_the_forgotten_files_and_gives_the_star_schema_of_a_clean_load()
    {
        Generate();
        var first = await LoadAsync(Db);
        var before = await FilesAsync();
        var star = await StarAsync(Db);

        var forget = await Run("forget", "log_data/2018/11/2018-11-0[12]-*", "song_data/*/*/[A-C]/*", "--yes", "--connection", Db);
        Assert.True(forget.Code == 0, forget.Err);
        var forgotten = before.Keys.Where(k => k.StartsWith("log_data/2018/11/2018-11-01", StringComparison.Ordinal) ||
                                               k.StartsWith("log_data/2018/11/2018-11-02", StringComparison.Ordinal) ||
                                               (k.StartsWith("song_data/", StringComparison.Ordinal) && k.Split('/')[3][0] is >= 'A' and <= 'C'))
            .ToList();
        Assert.True(forgotten.Count > 2, "the fixture has no song file to forget");
        Assert.Contains($"{forgotten.Count} files match:\n  log_data/2018/11/2018-11-01-events.json\n", forget.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"forgot {forgotten.Count} files on duckdb", forget.Out, StringComparison.Ordinal);
        Assert.Equal(before.Keys.Except(forgotten), (await FilesAsync()).Keys);
        TableAssert.Equal(star, await StarAsync(Db), "forget changes no star row");

        var second = await LoadAsync(Db, "second");
        Assert.Equal((before.Count, forgotten.Count), (second.Files.Listed, second.Files.Loaded));
        var after = await FilesAsync();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, file) in after)
            Assert.Equal(forgotten.Contains(key) ? second.RunId : first.RunId, file.RunId);

        var clean = Path.Combine(_dir, "clean.duckdb");
        await LoadAsync(clean, "clean");
        TableAssert.Equal(await StarAsync(clean), await StarAsync(Db), "forget + run vs a clean load of the same files");
        Assert.Equal(await FieldCountsAsync(clean), await FieldCountsAsync(Db));
    }

    /// <summary>The schema-drift history without its run ids: per file and field, what the records held.</summary>
    private static async Task<List<string>> FieldCountsAsync(string db)
    {
        await using var warehouse = await DuckDbWarehouse.OpenAsync(db, CancellationToken.None);
        var rows = await warehouse.QueryAsync(
            "SELECT source_key, kind, field, in_contract, records, missing, null_count, seen, example FROM sparkify_field_counts", CancellationToken.None);
        return [.. rows.Rows.Select(r => string.Join("|", r.Select(Tables.Format))).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("n\n")]
    [InlineData("no\n")]
    [InlineData("")]            // end of input
    [InlineData("yes please\n")]
    public async Task Forget_asks_first_and_anything_but_yes_forgets_nothing_exit_1(string answer)
    {
        Generate();
        await LoadAsync(Db);
        var ledger = await LedgerAsync(Db);
        var hash = Hash();

        var declined = await Answering(answer, "forget", "log_data/**", "--connection", Db);

        Assert.Equal(1, declined.Code);
        Assert.Contains("Forget 4 files? The next run reads them again. [y/N] ", declined.Err, StringComparison.Ordinal);
        Assert.Contains("nothing forgotten", declined.Err, StringComparison.Ordinal);
        Assert.Equal(ledger, await LedgerAsync(Db));
        Assert.Equal(hash, Hash());
    }

    [Theory]
    [InlineData("y\n")]
    [InlineData("YES\n")]
    public async Task Forget_answered_yes_forgets(string answer)
    {
        Generate();
        await LoadAsync(Db);
        var accepted = await Answering(answer, "forget", "log_data/**/2018-11-04-*", "--connection", Db);
        Assert.True(accepted.Code == 0, accepted.Err);
        Assert.Contains("Forget 1 file? The next run reads it again. [y/N] ", accepted.Err, StringComparison.Ordinal);
        Assert.Contains("forgot 1 file on duckdb", accepted.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("log_data/2018/11/2018-11-04-events.json", (await FilesAsync()).Keys);
    }

    [Fact]
    public async Task Forget_with_a_pattern_that_matches_nothing_is_exit_2_and_changes_nothing()
    {
        Generate();
        await LoadAsync(Db);
        var hash = Hash();

        var missing = await Answering("y\n", "forget", "log_data/2018/11/2018-11-0[12]-*", "log_data/2018/12/*", "--yes", "--connection", Db);

        Assert.Equal(2, missing.Code);
        Assert.Contains("no loaded file matches 'log_data/2018/12/*'", missing.Err, StringComparison.Ordinal);
        Assert.Contains("nothing forgotten", missing.Err, StringComparison.Ordinal);
        Assert.Equal(hash, Hash());
        Assert.Equal(2, (await Run("forget", "--connection", Db)).Code);   // no pattern at all
    }

    [Fact]
    public async Task Forget_names_the_first_20_files_and_counts_the_rest_unless_verbose()
    {
        Generate();
        await LoadAsync(Db);
        var songs = (await FilesAsync("--kind", "song")).Keys.ToList();

        var listed = await Answering("n\n", "forget", "song_data/**", "--connection", Db);
        var lines = listed.Out.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal([$"{songs.Count} files match:", .. songs.Take(20).Select(k => "  " + k), $"  … and {songs.Count - 20} more (--verbose lists them all)"], lines);
        var all = await Answering("n\n", "forget", "song_data/**", "--connection", Db, "-v");
        Assert.Equal([$"{songs.Count} files match:", .. songs.Select(k => "  " + k)], all.Out.ReplaceLineEndings("\n").TrimEnd().Split('\n'));
    }
}
