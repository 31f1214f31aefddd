using System.Text;
using System.Text.Json;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Doctor;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>`sparkify doctor` on the embedded DuckDB warehouse, and the probe's own expectations.</summary>
public sealed class DoctorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-doctor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static async Task<(int Code, List<Dictionary<string, string?>> Rows, string Out, string Err)> RunDoctorAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(["doctor", "--format", "json", .. args], output, errors);
        var rows = output.ToString().TrimStart().StartsWith('[')
            ? JsonSerializer.Deserialize<List<Dictionary<string, string?>>>(output.ToString())!
            : [];
        return (code, rows, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Passes_every_step_on_a_new_duckdb_warehouse_and_leaves_nothing_behind()
    {
        var db = Path.Combine(_dir, "warehouse", "w.duckdb");
        var staging = Path.Combine(_dir, "staging");
        var (code, rows, output, errors) = await RunDoctorAsync("--connection", db, "--staging", staging);

        Assert.True(code == 0, output + errors);
        Assert.Equal(["connect", "privileges", "staging", "copy staging_events", "copy staging_songs", "copy staging_files", "copy staging_field_counts",
            "merge", "replace", "cleanup"], rows.Select(r => r["step"]));
        Assert.All(rows, r => Assert.Equal("OK", r["status"]));
        Assert.Contains("every value exact", rows[3]["found"], StringComparison.Ordinal);
        Assert.Contains("400 rows in 2 parts of 4 row groups", rows[3]["found"], StringComparison.Ordinal);
        Assert.Contains("8 songplays, 3 users, 3 songs, 3 artists, 7 time", rows[7]["found"], StringComparison.Ordinal);
        Assert.Contains("8 songplays.inserted", rows[7]["found"], StringComparison.Ordinal);
        Assert.Contains("backfill --replace of 2099-12-30..2099-12-31", rows[8]["found"], StringComparison.Ordinal);
        Assert.False(File.Exists(db), "the doctor made the DuckDB file: it must go again");
        Assert.Empty(Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task With_no_configuration_at_all_it_proves_the_default_warehouse_and_leaves_the_folder_empty()
    {
        // The real CLI process in an empty folder: .sparkify/warehouse.duckdb and .sparkify/staging, the defaults.
        using var doctor = await Runs.SparkifyProcess.RunAsync(["doctor"], _dir);

        Assert.True(doctor.ExitCode == 0, doctor.Stdout + doctor.Stderr);
        Assert.Matches(@"connect\s*│\s*OK\s*│\s*duckdb at .*\.sparkify/warehouse\.duckdb", doctor.Stdout);
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(doctor.Stdout, @"│\s*OK\s*│"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task On_an_existing_warehouse_it_changes_no_row()
    {
        var db = await LoadedWarehouseAsync();
        var before = await DumpAsync(db);

        var (code, _, text, errors) = await RunDoctorAsync("--connection", db, "--staging", Path.Combine(_dir, "staging"));

        Assert.True(code == 0, text + errors);
        Assert.Equal(before, await DumpAsync(db));
        Assert.True(File.Exists(db));
    }

    [Fact]
    public async Task A_table_of_steps_by_default_and_exit_1_when_a_step_fails()
    {
        // The staging "folder" is a file: nothing can be put there.
        var notAFolder = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        var output = new StringWriter();
        var code = await SparkifyCli.RunAsync(["doctor", "--connection", Path.Combine(_dir, "w.duckdb"), "--staging", notAFolder],
            output, new StringWriter());

        Assert.Equal(1, code);
        var text = output.ToString();
        Assert.Matches(@"staging\s*│\s*FAIL", text);
        Assert.Matches(@"copy staging_events\s*│\s*SKIP", text);
        Assert.Matches(@"connect\s*│\s*OK", text);
    }

    [Fact]
    public async Task For_redshift_it_names_what_is_missing_and_never_shows_the_password()
    {
        const string password = "redshift-doctor-secret";
        var (code, rows, output, errors) = await RunDoctorAsync("--target", "redshift",
            "--connection", $"Host=127.0.0.1;Username=u;Password={password};Database=d;Timeout=2",
            "--staging", Path.Combine(_dir, "staging"));

        Assert.Equal(1, code);
        Assert.Equal("FAIL", rows[0]["status"]);
        Assert.Contains("[IAM_ROLE] ARN", rows[0]["found"], StringComparison.Ordinal);
        Assert.Equal(("staging", "FAIL"), (rows[1]["step"], rows[1]["status"]));
        Assert.Contains("needs S3 staging", rows[1]["found"], StringComparison.Ordinal);
        Assert.All(rows.Skip(2), r => Assert.Equal("SKIP", r["status"]));
        Assert.DoesNotContain(password, output + errors, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));   // nothing was put
    }

    [Fact]
    public void The_probe_holds_the_edge_values_and_its_expectations_are_the_calendar()
    {
        Assert.Equal(65_535, Encoding.UTF8.GetByteCount(DoctorProbe.LongText));
        Assert.Contains("𝄞", DoctorProbe.LongText, StringComparison.Ordinal);
        var probe = new DoctorProbe("doctor-x");
        // A ts with milliseconds, and NULLs in every optional column.
        var stagedEvents = DoctorProbe.RowsOf(probe.Staged[0]);
        Assert.Contains(stagedEvents, r => r[1] == "1609459199999");
        Assert.Contains(stagedEvents, r => r.Count(v => v is null) == 17);
        // time rows (hour, day, week, month, year, weekday) known from the calendar, not from the code under test.
        var time = probe.ExpectedTime.ToDictionary(r => r[0]!, r => string.Join(" ", r.Skip(1)));
        Assert.Equal("23 31 53 12 2020 4", time["2020-12-31 23:59:59.999000"]);   // Thursday, ISO week 53 of 2020
        Assert.Equal("0 1 53 1 2021 5", time["2021-01-01 00:00:00.000000"]);      // Friday, still week 53
        Assert.Equal("12 3 53 1 2021 0", time["2021-01-03 12:00:00.500000"]);     // Sunday = 0
        Assert.Equal("0 4 1 1 2021 1", time["2021-01-04 00:00:00.001000"]);       // Monday, week 1
        Assert.Equal("8 31 1 12 2018 1", time["2018-12-31 08:00:00.000000"]);     // week 1 of 2019
        Assert.Equal("0 1 52 1 2000 6", time["2000-01-01 00:00:00.000000"]);      // Saturday, week 52 of 1999
        // The play matched within 0.001 by two songs takes the smaller song id; the one 0.002 away takes none.
        var plays = probe.ExpectedSongplays;
        Assert.Equal(2, plays.Count(p => p[4] == "SODOCTOR00000001"));
        Assert.DoesNotContain(plays, p => p[4] == "SODOCTOR00000002");
        Assert.Equal(6, plays.Count(p => p[4] is null));
    }

    /// <summary>
    /// The probe's staged parts, read back by DuckDB (not by the writer that made them): a multi-part manifest of
    /// events, two row groups in each part, PLAIN string pages beside dictionary-encoded ones in every row group, and
    /// the empty strings staging keeps.
    /// </summary>
    [Fact]
    public async Task The_probe_is_staged_as_production_is_several_parts_and_row_groups_plain_and_dictionary_pages()
    {
        var store = new Stream.Staging.LocalStagingStore(Path.Combine(_dir, "staging"));
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        var (layer, parts) = await DoctorRun.StageProbeAsync(new DoctorProbe("doctor-x"), store, "doctor-x", work, CancellationToken.None);

        var manifest = Stream.Staging.CopyManifest.Parse(await File.ReadAllBytesAsync(store.UrlOf(layer.Events)));
        Assert.Equal(2, parts["staging_events"]);
        Assert.Equal(2, manifest.Entries.Count);
        using var db = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        db.Open();
        List<object?[]> Query(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return rows;
        }
        var files = string.Join(", ", manifest.Entries.Select(e => SqlText.Literal(e.Url)));
        // Two row groups of 100 rows in each part.
        var groups = Query($"SELECT file_name, row_group_id, row_group_num_rows FROM parquet_metadata([{files}]) " +
                           "WHERE path_in_schema = 'event_id' ORDER BY file_name, row_group_id");
        Assert.Equal(4, groups.Count);
        Assert.All(manifest.Entries, e => Assert.Equal(2, groups.Count(g => (string)g[0]! == e.Url)));
        Assert.All(groups, g => Assert.Equal(100L, Convert.ToInt64(g[2])));
        // Every row group: location in PLAIN pages (past the dictionary limit), page dictionary-encoded.
        var encodings = Query($"SELECT path_in_schema, encodings FROM parquet_metadata([{files}]) " +
                              "WHERE path_in_schema IN ('location', 'page')");
        Assert.Equal(8, encodings.Count);
        Assert.All(encodings.Where(e => (string)e[0]! == "location"), e => Assert.DoesNotContain("DICTIONARY", (string)e[1]!, StringComparison.Ordinal));
        Assert.All(encodings.Where(e => (string)e[0]! == "page"), e => Assert.Contains("DICTIONARY", (string)e[1]!, StringComparison.Ordinal));
        // The empty string, not NULL, where staging keeps one: events, files, field counts.
        string Parts(string manifestPath) => string.Join(", ", Stream.Staging.CopyManifest.Parse(File.ReadAllBytes(store.UrlOf(manifestPath)))
            .Entries.Select(e => SqlText.Literal(e.Url)));
        Assert.Equal(1L, Convert.ToInt64(Query($"SELECT count(*) FROM read_parquet([{files}]) WHERE location = ''")[0][0]));
        Assert.Equal(1L, Convert.ToInt64(Query($"SELECT count(*) FROM read_parquet([{files}]) WHERE level = ''")[0][0]));
        Assert.Equal(1L, Convert.ToInt64(Query($"SELECT count(*) FROM read_parquet([{Parts(layer.Files)}]) WHERE version = ''")[0][0]));
        Assert.Equal(1L, Convert.ToInt64(Query($"SELECT count(*) FROM read_parquet([{Parts(layer.FieldCounts!)}]) WHERE field = ''")[0][0]));
        Assert.Equal(DoctorProbe.EventCount, Convert.ToInt32(Query($"SELECT count(*) FROM read_parquet([{files}])")[0][0]));
    }

    [Fact]
    public async Task A_probe_that_touches_a_row_outside_its_own_keys_fails_the_doctor_and_changes_nothing()
    {
        var db = await LoadedWarehouseAsync();
        int realUser;
        await using (var w = await DuckDbWarehouse.OpenAsync(db, CancellationToken.None))
            realUser = Convert.ToInt32((await w.QueryAsync("SELECT min(user_id) FROM users", CancellationToken.None)).Rows[0][0]);
        var before = await DumpAsync(db);

        // The planted probe's first user is a real one: its newer plays update that user's row.
        var rows = await DoctorRun.RunAsync(new DoctorTargets("duckdb",
            async ct => await DuckDbWarehouse.OpenAsync(db, ct),
            () => new Stream.Staging.LocalStagingStore(Path.Combine(_dir, "doctor-staging")),
            _ => Task.FromResult<string?>(null),
            runId => new DoctorProbe(runId, userA: realUser)), CancellationToken.None);

        var merge = Assert.Single(rows, r => r.Step == "merge");
        Assert.Equal(DoctorRow.Fail, merge.Status);
        Assert.Contains("outside its own keys", merge.Found, StringComparison.Ordinal);
        Assert.Contains("users.updated expected 0, found 1", merge.Found, StringComparison.Ordinal);
        Assert.Equal(DoctorRow.Skipped, Assert.Single(rows, r => r.Step == "replace").Status);
        Assert.Equal(before, await DumpAsync(db));

        // The same warehouse with the doctor's own probe: every step passes.
        var own = await DoctorRun.RunAsync(new DoctorTargets("duckdb",
            async ct => await DuckDbWarehouse.OpenAsync(db, ct),
            () => new Stream.Staging.LocalStagingStore(Path.Combine(_dir, "doctor-staging")),
            _ => Task.FromResult<string?>(null)), CancellationToken.None);
        Assert.All(own, r => Assert.True(r.Status == DoctorRow.Ok, $"{r.Step}: {r.Found}"));
        Assert.Equal(before, await DumpAsync(db));
    }

    [Fact]
    public void Change_counts_and_row_movements_outside_the_probe_keys_are_named()
    {
        var probe = new DoctorProbe("doctor-x");
        var expected = DoctorRun.ExpectedChanges(probe, knownTimes: 0, replaced: (0, 0));
        var counts = StarTables.All.ToDictionary(t => t, _ => 100L);
        var moved = new Dictionary<string, long>(counts)
        {
            ["songplays"] = 108, ["users"] = 103, ["songs"] = 103, ["artists"] = 103, ["time"] = 107,
        };
        var exact = new Dictionary<string, long>(expected);
        Assert.Null(DoctorRun.CompareChanges(expected, exact, counts, moved));

        // One more songplay deleted than the range held; a users row gone without a counted delete.
        var touched = new Dictionary<string, long>(exact) { ["songplays.deleted"] = 1 };
        var gone = new Dictionary<string, long>(moved) { ["songplays"] = 107, ["users"] = 102 };
        Assert.Equal("the probe changed rows outside its own keys: songplays.deleted expected 0, found 1; " +
                     "users has +2 rows, its changes say +3",
            DoctorRun.CompareChanges(expected, touched, counts, gone));
    }

    [Fact]
    public void Compare_names_the_first_differing_value()
    {
        var found = new QueryResult(["a", "b"], [[1L, "x"], [2L, null]]);
        Assert.Null(DoctorRun.Compare("t", ["a", "b"], [["1", "x"], ["2", null]], found));
        Assert.Equal("t row 2, column b: expected 'y' (1 bytes), found NULL",
            DoctorRun.Compare("t", ["a", "b"], [["1", "x"], ["2", "y"]], found));
        Assert.Equal("t: expected 1 rows, found 2", DoctorRun.Compare("t", ["a", "b"], [["1", "x"]], found));
        Assert.Equal("1.7976931348623157E+308", DoctorProbe.Canonical(double.MaxValue));
        Assert.Equal("2021-01-01 00:00:00.001000",
            DoctorProbe.Canonical(new DateTime(2021, 1, 1, 0, 0, 0, 1, DateTimeKind.Unspecified)));
        Assert.Equal("-2147483648", DoctorProbe.Canonical(int.MinValue));
    }

    /// <summary>A DuckDB warehouse loaded by a real batch run of generated data (500 events of 10 users).</summary>
    private async Task<string> LoadedWarehouseAsync()
    {
        var db = Path.Combine(_dir, "w.duckdb");
        var data = Path.Combine(_dir, "data");
        Stream.Generation.DataGenerator.Generate(new Stream.Generation.GeneratorOptions(data) { Songs = 50, Events = 500, Users = 10, Days = 2, Seed = 3 });
        var output = new StringWriter();
        Assert.Equal(0, await SparkifyCli.RunAsync(["--batch", "-q", "--songs", Path.Combine(data, "song_data"),
            "--logs", Path.Combine(data, "log_data"), "--staging", Path.Combine(_dir, "staging"), "--connection", db], output, output));
        return db;
    }

    private static async Task<string> DumpAsync(string db)
    {
        await using var w = await DuckDbWarehouse.OpenAsync(db, CancellationToken.None);
        var text = new StringBuilder();
        foreach (var table in new[] { "songplays", "users", "songs", "artists", "time", "sparkify_load_ledger",
                     "sparkify_song_catalog", "sparkify_play_keys", "sparkify_user_events" })
        {
            var rows = await w.QueryAsync($"SELECT * FROM \"{table}\" ORDER BY ALL", CancellationToken.None);
            text.Append(table).Append(':').Append(rows.Rows.Count).Append('\n');
            foreach (var row in rows.Rows) text.AppendJoin('|', row.Select(DoctorProbe.Canonical)).Append('\n');
        }
        return text.ToString();
    }
}
