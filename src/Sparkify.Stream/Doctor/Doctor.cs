using System.Globalization;
using System.Text;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Doctor;

/// <summary>One row of `sparkify doctor`: a step, whether it passed, what it found, and what to do when it did not.</summary>
internal sealed record DoctorRow(string Step, string Status, string Found, string Fix)
{
    public const string Ok = "OK", Fail = "FAIL", Skipped = "SKIP";

    public bool Failed => Status == Fail;
}

/// <summary>What the doctor opens, each only when its step runs (so a failure becomes that step's row).</summary>
/// <param name="Probe">The probe for a run id; null: <see cref="DoctorProbe"/>'s own (a test plants another).</param>
internal sealed record DoctorTargets(
    string Target,
    Func<CancellationToken, Task<IWarehouse>> OpenWarehouse,
    Func<IStagingStore> OpenStaging,
    Func<CancellationToken, Task<string?>> CheckStagingRegion,
    Func<string, DoctorProbe>? Probe = null,
    Func<CancellationToken, Task<string>>? Authentication = null);

/// <summary>
/// `sparkify doctor`: proves a user's own target and staging area before the first load. connect → privileges →
/// staging store (put, read back, delete) → the real COPY of each staging table from a multi-part manifest, read back
/// and compared exactly → the real merge over a probe data set, star rows and change counts compared with the expected
/// ones → rolled back → a second load on the same connection through the replace path, compared again and rolled back
/// → the probe objects deleted. Nothing is left behind.
/// </summary>
internal static class DoctorRun
{
    private static readonly (string Table, string Columns, string Key)[] StarQueries =
    [
        ("songplays", "songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent", "songplay_id"),
        ("users", "user_id, first_name, last_name, gender, level, updated_at", "user_id"),
        ("songs", "song_id, title, artist_id, year, duration", "song_id"),
        ("artists", "artist_id, name, location, latitude, longitude", "artist_id"),
        ("time", "start_time, hour, day, week, month, year, weekday", "start_time"),
    ];

    public static async Task<IReadOnlyList<DoctorRow>> RunAsync(DoctorTargets targets, CancellationToken ct)
    {
        var rows = new List<DoctorRow>();
        var runId = $"doctor-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";
        IWarehouse? warehouse = null;
        IStagingStore? store = null, opened = null;
        var staged = false;   // something was put: clean up, even when a later part of the step failed
        try
        {
            warehouse = await StepAsync(rows, "connect", FixConnect(targets.Target), async () =>
            {
                var w = await targets.OpenWarehouse(ct);
                var version = await w.QueryAsync("SELECT version()", ct);
                var how = targets.Authentication is null ? "" : $"; {await targets.Authentication(ct)}";
                return (w, $"{targets.Target} at {w.Endpoint}; server {version.Rows[0][0]}{how}");
            });
            if (warehouse is not null)
            {
                await StepAsync(rows, "privileges", e => FixPrivileges(targets.Target, e), async () =>
                {
                    await warehouse.CheckPrivilegesAsync(ct);
                    return (true, "CREATE TABLE (the star, staging and ledger tables, IF NOT EXISTS) and CREATE TEMP TABLE " +
                                  "allowed (tried in a transaction, rolled back)");
                });
            }
            store = await StepAsync(rows, "staging", FixStaging(targets.Target), async () =>
            {
                var s = opened = targets.OpenStaging();
                var region = await targets.CheckStagingRegion(ct);   // Redshift: S3, in the cluster's region
                var found = await ProbeStoreAsync(s, runId, () => staged = true, ct);
                return (s, region is null ? found : $"{found}; {region}");
            });
            if (warehouse is null || store is null || rows.Any(r => r.Failed))
            {
                Skip(rows, [.. StagingSchema.All.Select(t => $"copy {t.SqlName}"), "merge", "replace"]);
                return rows;
            }
            await LoadProbeAsync(rows, warehouse, store, (targets.Probe ?? (id => new DoctorProbe(id)))(runId), runId, ct);
            return rows;
        }
        finally
        {
            if (opened is not null && staged) await CleanUpAsync(rows, opened, runId);
            if (warehouse is not null) await warehouse.DisposeAsync();
        }
    }

    /// <summary>
    /// The probe's part files as a production run's are cut, small: row groups of <see cref="DoctorProbe.RowGroupRows"/>
    /// rows, a new part every two, two parts written at once, so the probe's events fill two parts of two row groups
    /// each under one manifest.
    /// </summary>
    internal static readonly PartOptions ProbeParts =
        new(RowGroupRows: DoctorProbe.RowGroupRows, PartRows: 2L * DoctorProbe.RowGroupRows, Writers: 2);

    /// <summary>Writes the probe with the real Parquet writer and manifests under <c>runs/&lt;runId&gt;</c>.</summary>
    /// <returns>Its manifests, and the part files of each staging table.</returns>
    internal static async Task<(PackageManifests Layer, IReadOnlyDictionary<string, int> Parts)> StageProbeAsync(
        DoctorProbe probe, IStagingStore store, string runId, string workDir, CancellationToken ct)
    {
        var manifests = new List<string>();
        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var staged in probe.Staged)
        {
            await using var writer = new ParquetPartWriter(staged.Table, store, $"runs/{runId}", workDir, ProbeParts);
            await writer.AddAsync(staged, ct);
            var (manifest, entries) = await writer.CompleteAsync(ct);
            manifests.Add(manifest);
            parts[staged.Table.SqlName] = entries.Count;
        }
        return (new PackageManifests(manifests[0], manifests[1], manifests[2], manifests[3]), parts);
    }

    /// <summary>
    /// Stages the probe, then loads and merges it twice on the one connection, each load rolled back: a plain load,
    /// then backfill --replace over <see cref="DoctorProbe.ReplaceRange"/> (the second makes and drops the TEMP tables
    /// again in the same session). Each load's staging rows, star rows and change counts are compared with the
    /// expected ones.
    /// </summary>
    private static async Task LoadProbeAsync(
        List<DoctorRow> rows, IWarehouse warehouse, IStagingStore store, DoctorProbe probe, string runId, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("sparkify-doctor-").FullName;
        try
        {
            var (layer, parts) = await StageProbeAsync(probe, store, runId, work, ct);
            var first = await ProbeLoadAsync(warehouse, store, probe, layer, runId, replace: null, ct);
            // A load that failed before its staging rows were read failed at a COPY, or before the first one.
            var failedCopy = first is { Failure: { } f, Staging.Count: 0 }
                ? f.Step.StartsWith("load_staging/", StringComparison.Ordinal) ? f.Step["load_staging/".Length..] : probe.Staged[0].Table.SqlName
                : null;
            foreach (var staged in probe.Staged)
            {
                var table = staged.Table.SqlName;
                var step = $"copy {table}";
                if (first.Staging.TryGetValue(table, out var difference))
                {
                    var count = staged.Count;
                    var groups = parts[table] == 1 ? "" : $" in {parts[table]} parts of {RowGroups(count)} row groups";
                    rows.Add(difference is null
                        ? new DoctorRow(step, DoctorRow.Ok,
                            $"{count} rows{groups} through the real manifest{(warehouse.Target == "redshift" ? " and IAM role" : "")}, every value exact", "")
                        : new DoctorRow(step, DoctorRow.Fail, difference, FixCopy(warehouse.Target)));
                }
                else if (first.Failure is { } failure && failedCopy == table)
                {
                    rows.Add(new DoctorRow(step, DoctorRow.Fail, OneLine(failure.Message), FixLoad(warehouse.Target, failure, FixCopy(warehouse.Target))));
                }
                else
                {
                    rows.Add(new DoctorRow(step, DoctorRow.Skipped, "not run: an earlier step failed", ""));
                }
            }
            var merged = first.Staging.Count > 0
                ? MergeRow("merge", first, warehouse.Target,
                    $"the real merge SQL gave the expected {StarCounts(probe)} rows (ISO weeks and weekdays around New Year, a " +
                    "match within the duration tolerance, the latest event per user), and exactly its change counts " +
                    $"({first.ChangesShown}); rolled back")
                : new DoctorRow("merge", DoctorRow.Skipped, "not run: an earlier step failed", "");
            rows.Add(merged);
            if (merged.Failed || merged.Status == DoctorRow.Skipped || rows.Any(r => r.Failed))
            {
                rows.Add(new DoctorRow("replace", DoctorRow.Skipped, "not run: an earlier step failed", ""));
                return;
            }
            var second = await ProbeLoadAsync(warehouse, store, probe, layer, runId, DoctorProbe.ReplaceRange, ct);
            var range = $"{DoctorProbe.ReplaceRange.From:yyyy-MM-dd}..{DoctorProbe.ReplaceRange.To:yyyy-MM-dd}";
            rows.Add(second.Staging.Values.FirstOrDefault(d => d is not null) is { } stagedAgain
                ? new DoctorRow("replace", DoctorRow.Fail, $"second load in the session: {stagedAgain}", FixCopy(warehouse.Target))
                : MergeRow("replace", second, warehouse.Target,
                    $"a second load in the same session (its temporary tables made again) through backfill --replace of {range}: " +
                    $"every staged value and star row exact again, and its change counts ({second.ChangesShown}); rolled back"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int RowGroups(int rows) => (rows + DoctorProbe.RowGroupRows - 1) / DoctorProbe.RowGroupRows;

    private static string StarCounts(DoctorProbe probe) =>
        $"{probe.ExpectedSongplays.Count} songplays, {probe.ExpectedUsers.Count} users, {probe.ExpectedSongs.Count} songs, " +
        $"{probe.ExpectedArtists.Count} artists, {probe.ExpectedTime.Count} time";

    /// <summary>The row of one probe load's merge: its failure, the first star or count difference, or <paramref name="ok"/>.</summary>
    private static DoctorRow MergeRow(string step, ProbeLoad load, string target, string ok) =>
        load.Failure is { } failure ? new DoctorRow(step, DoctorRow.Fail, OneLine(failure.Message), FixLoad(target, failure, FixMerge))
        : load.Star is { } star ? new DoctorRow(step, DoctorRow.Fail, star, FixMerge)
        : load.Counts is { } counts ? new DoctorRow(step, DoctorRow.Fail, counts, FixMerge)
        : new DoctorRow(step, DoctorRow.Ok, ok, "");

    /// <summary>What one rolled-back probe load found.</summary>
    private sealed class ProbeLoad
    {
        /// <summary>Per staging table compared: null when every value was exact, else the first difference.</summary>
        public Dictionary<string, string?> Staging { get; } = new(StringComparer.Ordinal);

        /// <summary>The first star row that differs from the expected ones, or null.</summary>
        public string? Star { get; set; }

        /// <summary>The change counts that differ from the expected ones, or null.</summary>
        public string? Counts { get; set; }

        /// <summary>The changes counted, for people ("8 songplays inserted, …").</summary>
        public string ChangesShown { get; set; } = "";

        public LoadStepException? Failure { get; set; }
    }

    /// <summary>
    /// One rolled-back load of the staged probe. Inside its transaction: the star tables' row counts before and after,
    /// the staging rows after the COPYs, the star rows before the rollback, and what the replace path and the time step
    /// may delete besides the probe's rows (on a real warehouse, nothing); then its change counts are compared with
    /// the probe's, so a probe that touched a row outside its own keys fails.
    /// </summary>
    private static async Task<ProbeLoad> ProbeLoadAsync(IWarehouse warehouse, IStagingStore store, DoctorProbe probe,
        PackageManifests layer, string runId, DateRange? replace, CancellationToken ct)
    {
        var load = new ProbeLoad();
        IReadOnlyDictionary<string, long>? before = null, after = null;
        long knownTimes = 0, inRange = 0, orphans = 0;
        async Task Inspect(string phase, CancellationToken token)
        {
            if (before is null && phase.StartsWith("load_staging/", StringComparison.Ordinal))
            {
                before = await warehouse.CountRowsAsync(token);
                knownTimes = await CountAsync(warehouse,
                    $"SELECT COUNT(*) FROM \"time\" WHERE start_time IN ({string.Join(", ", probe.StartTimes.Select(SqlText.Timestamp))})", token);
            }
            if (load.Staging.Count == 0 && phase.StartsWith("merge/", StringComparison.Ordinal))
            {
                foreach (var staged in probe.Staged)
                {
                    var table = staged.Table.SqlName;
                    var columns = string.Join(", ", staged.Table.Columns.Select(c => SqlText.Identifier(c.Name)));
                    var found = await warehouse.QueryAsync(
                        $"SELECT {columns} FROM {SqlText.Identifier(table)} ORDER BY {OrderOf(staged.Table)}", token);
                    load.Staging[table] = Compare(table, [.. staged.Table.Columns.Select(c => c.Name)], DoctorProbe.RowsOf(staged), found);
                }
            }
            if (replace is not null && phase == "merge/05_replace_range")
            {
                inRange = await CountAsync(warehouse,
                    $"SELECT COUNT(*) FROM songplays WHERE start_time >= {SqlText.Timestamp(replace.From!.Value)} " +
                    $"AND start_time < {SqlText.Timestamp(replace.To!.Value.AddDays(1))}", token);
            }
            if (replace is not null && phase == "merge/70_time")
            {
                orphans = await CountAsync(warehouse,
                    "SELECT COUNT(*) FROM \"time\" t WHERE NOT EXISTS (SELECT 1 FROM songplays s WHERE s.start_time = t.start_time)", token);
            }
            if (phase == "commit")
            {
                load.Star = await CompareStarAsync(warehouse, probe, token);
                after = await warehouse.CountRowsAsync(token);
            }
        }
        try
        {
            var result = await warehouse.LoadAsync(
                new LoadRequest(runId, store, [layer], ReplaceRange: replace, OnPhase: Inspect, RollBack: true), ct);
            var expected = ExpectedChanges(probe, knownTimes, replace is null ? null : (inRange, orphans));
            load.Counts = CompareChanges(expected, result.Changes, before!, after!);
            load.ChangesShown = ShowChanges(result.Changes);
        }
        catch (LoadStepException failure)
        {
            load.Failure = failure;
        }
        return load;
    }

    private static async Task<long> CountAsync(IWarehouse warehouse, string sql, CancellationToken ct) =>
        Convert.ToInt64((await warehouse.QueryAsync(sql, ct)).Rows[0][0], CultureInfo.InvariantCulture);

    /// <summary>
    /// The change counts of a load of the probe into a warehouse that holds none of its keys: each probe row inserted,
    /// nothing updated or deleted, but for the time rows already there, and (backfill --replace) the songplays already
    /// in the range and the time rows left without a songplay, each counted in the load's transaction before its step.
    /// </summary>
    internal static SortedDictionary<string, long> ExpectedChanges(DoctorProbe probe, long knownTimes, (long InRange, long Orphans)? replaced)
    {
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["songplays.inserted"] = probe.ExpectedSongplays.Count, ["songplays.updated"] = 0,
            ["users.inserted"] = probe.ExpectedUsers.Count, ["users.updated"] = 0,
            ["songs.inserted"] = probe.ExpectedSongs.Count, ["songs.updated"] = 0,
            ["artists.inserted"] = probe.ExpectedArtists.Count, ["artists.updated"] = 0, ["artists.deleted"] = 0,
            ["time.inserted"] = probe.ExpectedTime.Count - knownTimes,
        };
        if (replaced is { } r)
        {
            expected["songplays.deleted"] = r.InRange;
            expected["time.deleted"] = r.Orphans;
        }
        return expected;
    }

    /// <summary>
    /// Null when the load's change counts are the expected ones and each star table's row count moved by its inserts
    /// less its deletes; else every difference, for people.
    /// </summary>
    internal static string? CompareChanges(IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long> found,
        IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
    {
        var differences = new List<string>();
        foreach (var key in expected.Keys.Union(found.Keys).Order(StringComparer.Ordinal))
        {
            var (want, got) = (expected.GetValueOrDefault(key), found.GetValueOrDefault(key));
            if (want != got) differences.Add(string.Create(CultureInfo.InvariantCulture, $"{key} expected {want}, found {got}"));
        }
        foreach (var table in StarTables.All)
        {
            var moved = after[table] - before[table];
            var counted = found.GetValueOrDefault($"{table}.inserted") - found.GetValueOrDefault($"{table}.deleted");
            if (moved != counted)
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{table} has {moved:+0;-0;0} rows, its changes say {counted:+0;-0;0}"));
        }
        return differences.Count == 0
            ? null
            : $"the probe changed rows outside its own keys: {string.Join("; ", differences)}";
    }

    private static string ShowChanges(IReadOnlyDictionary<string, long> changes) =>
        string.Join(", ", changes.Where(c => c.Value != 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key}")))
        is { Length: > 0 } shown ? shown : "none";

    /// <summary>The order the probe's rows of a staging table are listed in (its rows are unique by it).</summary>
    private static string OrderOf(StagingTable table) =>
        table.SourceLine >= 0 ? "source_line" : ReferenceEquals(table, FieldCountColumns.Table) ? "source_key, field" : "source_key";

    /// <summary>The probe's star rows as the transaction holds them: null when each is the expected one, else the first difference.</summary>
    private static async Task<string?> CompareStarAsync(IWarehouse warehouse, DoctorProbe probe, CancellationToken ct)
    {
        var expected = new Dictionary<string, (IReadOnlyList<string?[]> Rows, string Keys)>
        {
            ["songplays"] = (probe.ExpectedSongplays, string.Join(", ", probe.SongplayIds.Select(SqlText.Integer))),
            ["users"] = (probe.ExpectedUsers, string.Join(", ", probe.UserIds.Select(i => SqlText.Integer(i)))),
            ["songs"] = (probe.ExpectedSongs, string.Join(", ", probe.SongIds.Select(SqlText.Literal))),
            ["artists"] = (probe.ExpectedArtists, string.Join(", ", probe.ArtistIds.Select(SqlText.Literal))),
            ["time"] = (probe.ExpectedTime, string.Join(", ", probe.StartTimes.Select(SqlText.Timestamp))),
        };
        foreach (var (table, columns, key) in StarQueries)
        {
            var (rows, keys) = expected[table];
            var found = await warehouse.QueryAsync(
                $"SELECT {columns} FROM {SqlText.Identifier(table)} WHERE {key} IN ({keys}) ORDER BY {key}", ct);
            if (Compare(table, columns.Split(", "), rows, found) is { } difference) return difference;
        }
        return null;
    }

    /// <summary>Null when equal, else the first difference, for people (long values cut).</summary>
    internal static string? Compare(string table, IReadOnlyList<string> columns, IReadOnlyList<string?[]> expected, QueryResult found)
    {
        if (found.Rows.Count != expected.Count)
            return $"{table}: expected {expected.Count} rows, found {found.Rows.Count}";
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var want = expected[r][c];
                var got = DoctorProbe.Canonical(found.Rows[r][c]);
                if (!string.Equals(want, got, StringComparison.Ordinal))
                    return $"{table} row {r + 1}, column {columns[c]}: expected {Show(want)}, found {Show(got)}";
            }
        }
        return null;
    }

    private static string Show(string? value)
    {
        if (value is null) return "NULL";
        var bytes = Encoding.UTF8.GetByteCount(value);
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        return string.Create(CultureInfo.InvariantCulture, $"'{shown.ReplaceLineEndings("\\n")}' ({bytes} bytes)");
    }

    /// <summary>Puts a probe object, reads it back and checks its size.</summary>
    private static async Task<string> ProbeStoreAsync(IStagingStore store, string runId, Action put, CancellationToken ct)
    {
        var path = $"runs/{runId}/probe.txt";
        var content = Encoding.UTF8.GetBytes($"sparkify doctor {runId} ☃");
        await store.PutBytesAsync(path, content, ct);
        put();
        await using (var read = await store.OpenReadAsync(store.UrlOf(path), ct))
        using (var buffer = new MemoryStream())
        {
            await read.CopyToAsync(buffer, ct);
            if (!buffer.ToArray().AsSpan().SequenceEqual(content))
                throw new SparkifyException($"the probe object {store.UrlOf(path)} read back differently");
        }
        var size = await store.SizeOfAsync(store.UrlOf(path), ct);
        if (size != content.Length)
            throw new SparkifyException($"the probe object {store.UrlOf(path)} has {size} bytes, not {content.Length}");
        return $"{store.Description}: put, read back and sized a probe object";
    }

    private static async Task CleanUpAsync(List<DoctorRow> rows, IStagingStore store, string runId)
    {
        try
        {
            await store.DeleteRunAsync(runId, CancellationToken.None);
            var left = false;
            await foreach (var run in store.ListRunsAsync(CancellationToken.None))
                left |= run == runId;
            rows.Add(left
                ? new DoctorRow("cleanup", DoctorRow.Fail, $"runs/{runId}/ is still in {store.Description}", "grant delete on the staging prefix (s3:DeleteObject), then delete runs/" + runId)
                : new DoctorRow("cleanup", DoctorRow.Ok, $"probe objects deleted (runs/{runId}/); the warehouse transaction was rolled back", ""));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            rows.Add(new DoctorRow("cleanup", DoctorRow.Fail, Describe(e), "grant delete on the staging prefix (s3:DeleteObject), then delete runs/" + runId));
        }
    }

    /// <summary>Runs a step; its failure becomes a FAIL row (and a default result) instead of an exception.</summary>
    private static Task<T?> StepAsync<T>(List<DoctorRow> rows, string step, string fix, Func<Task<(T Value, string Found)>> run) =>
        StepAsync(rows, step, _ => fix, run);

    /// <param name="fix">The fix for the failure that happened.</param>
    private static async Task<T?> StepAsync<T>(
        List<DoctorRow> rows, string step, Func<Exception, string> fix, Func<Task<(T Value, string Found)>> run)
    {
        try
        {
            var (value, found) = await run();
            rows.Add(new DoctorRow(step, DoctorRow.Ok, found, ""));
            return value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            rows.Add(new DoctorRow(step, DoctorRow.Fail, Describe(e), fix(e)));
            return default;
        }
    }

    private static void Skip(List<DoctorRow> rows, params string[] steps)
    {
        foreach (var step in steps) rows.Add(new DoctorRow(step, DoctorRow.Skipped, "not run: an earlier step failed", ""));
    }

    /// <summary>The failure on one line; a statement the server refused as a syntax error is named by its first line.</summary>
    private static string Describe(Exception e)
    {
        var text = OneLine(e is SparkifyException ? e.Message : PostgresConnections.OneLine(e, null));
        return SqlFailures.KindOf(e) == SqlFailureKind.Syntax && SqlFailures.StatementOf(e) is { } statement
            ? $"{text} (in the statement: {statement})"
            : text;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string FixConnect(string target) => target switch
    {
        "redshift" => "check --connection / [CLUSTER] HOST, DB_PORT (Redshift: 5439), DB_USER, DB_PASSWORD (or CREDENTIAL_PROCESS); the cluster's " +
                      "security group must admit this machine; TLS: [CLUSTER] SSLMODE",
        "postgres" => "check --connection / [CLUSTER] HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD (or CREDENTIAL_PROCESS) and that the server accepts this client",
        _ => "check --connection (the DuckDB file) and that no other process has it open",
    };

    /// <summary>
    /// The fix for a failed privileges step, by what the server said: a syntax error (SQLSTATE 42601) is no missing
    /// privilege, and no GRANT mends it; a missing privilege (42501), or another failure, is met with GRANTs.
    /// </summary>
    internal static string FixPrivileges(string target, Exception failure) => SqlFailures.KindOf(failure) switch
    {
        SqlFailureKind.Syntax => FixSyntax(target),
        _ when target == "duckdb" => "make the DuckDB file and its folder writable",
        _ => "GRANT CREATE ON SCHEMA <schema> and TEMP ON DATABASE <db> to the user (or run 'sparkify create-tables' as " +
             "the owner and grant the user INSERT, UPDATE, DELETE on the tables)",
    };

    /// <summary>A statement of sparkify's own the server's grammar refused: a defect of this release on this server.</summary>
    private static string FixSyntax(string target) =>
        $"not a privilege: {target} refused the grammar of a statement sparkify sends (SQLSTATE {SqlFailures.SyntaxError}), " +
        "so no GRANT mends it; this release does not work on this server version. Report it with the output of " +
        "'sparkify doctor --format json' and stay on the release that worked";

    private static string FixStaging(string target) =>
        "create the bucket or folder; allow s3:PutObject, s3:GetObject, s3:ListBucket and s3:DeleteObject on the prefix; " +
        "check [S3] REGION / ENDPOINT" + (target == "redshift" ? "; Redshift: the staging bucket must be in the cluster's region" : "");

    private static string FixCopy(string target) => target == "redshift"
        ? "attach the [IAM_ROLE] ARN to the cluster with s3:GetObject and s3:ListBucket on the staging prefix; recreate " +
          "the staging tables if their DDL differs (sparkify create-tables)"
        : "recreate the staging tables if their columns differ (sparkify create-tables --drop loses loaded data: compare first)";

    private const string FixMerge =
        "a merge result differs from the documented semantics on this target: report it with 'sparkify doctor --format json'";

    /// <summary>The fix for a failed probe load: by what the server said, else <paramref name="otherwise"/>.</summary>
    private static string FixLoad(string target, LoadStepException failure, string otherwise) => SqlFailures.KindOf(failure) switch
    {
        SqlFailureKind.Syntax => FixSyntax(target),
        SqlFailureKind.Privilege => FixPrivileges(target, failure),
        _ => otherwise,
    };
}
