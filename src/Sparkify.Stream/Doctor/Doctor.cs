using System.Globalization;
using System.Text;
using Sparkify.Stream.Records;
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
internal sealed record DoctorTargets(
    string Target,
    Func<CancellationToken, Task<IWarehouse>> OpenWarehouse,
    Func<IStagingStore> OpenStaging,
    Func<CancellationToken, Task<string?>> CheckStagingRegion);

/// <summary>
/// `sparkify doctor`: proves a user's own target and staging area before the first load. connect → privileges →
/// staging store (put, read back, delete) → the real COPY of a probe part of each staging table, read back and compared
/// exactly → the real merge over a probe data set, star rows compared with the expected ones → rolled back, and the
/// probe objects deleted. Nothing is left behind.
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
                return (w, $"{targets.Target} at {w.Endpoint}; server {version.Rows[0][0]}");
            });
            if (warehouse is not null)
            {
                await StepAsync(rows, "privileges", FixPrivileges(targets.Target), async () =>
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
                Skip(rows, [.. StagingTableSet.All.Select(t => $"copy {t.SqlName}"), "merge"]);
                return rows;
            }
            await LoadProbeAsync(rows, warehouse, store, runId, ct);
            return rows;
        }
        finally
        {
            if (opened is not null && staged) await CleanUpAsync(rows, opened, runId);
            if (warehouse is not null) await warehouse.DisposeAsync();
        }
    }

    /// <summary>Writes the probe with the real Parquet writer and manifests, then loads and merges it, rolled back.</summary>
    private static async Task LoadProbeAsync(
        List<DoctorRow> rows, IWarehouse warehouse, IStagingStore store, string runId, CancellationToken ct)
    {
        var probe = new DoctorProbe(runId);
        var work = Directory.CreateTempSubdirectory("sparkify-doctor-").FullName;
        try
        {
            var runPrefix = $"runs/{runId}";
            var parts = new PartOptions();
            var manifests = new List<string>();
            foreach (var staged in probe.Staged)
            {
                await using var writer = new ParquetPartWriter(staged.Table, store, runPrefix, work, parts);
                await writer.AddAsync(staged, ct);
                manifests.Add((await writer.CompleteAsync(ct)).ManifestPath);
            }
            var layer = new PackageManifests(manifests[0], manifests[1], manifests[2], manifests[3]);

            var checkedStaging = false;
            async Task Inspect(string phase, CancellationToken token)
            {
                if (!checkedStaging && phase.StartsWith("merge/", StringComparison.Ordinal))
                {
                    checkedStaging = true;
                    foreach (var staged in probe.Staged)
                    {
                        var table = staged.Table.SqlName;
                        var expected = DoctorProbe.RowsOf(staged);
                        var columns = string.Join(", ", staged.Table.Columns.Select(c => SqlText.Identifier(c.Name)));
                        var found = await warehouse.QueryAsync(
                            $"SELECT {columns} FROM {SqlText.Identifier(table)} ORDER BY {OrderOf(staged.Table)}", token);
                        var difference = Compare(table, [.. staged.Table.Columns.Select(c => c.Name)], expected, found);
                        rows.Add(difference is null
                            ? new DoctorRow($"copy {table}", DoctorRow.Ok,
                                $"{expected.Count} rows through the real manifest{(warehouse.Target == "redshift" ? " and IAM role" : "")}, every value exact", "")
                            : new DoctorRow($"copy {table}", DoctorRow.Fail, difference, FixCopy(warehouse.Target)));
                    }
                }
                if (phase == "commit") rows.Add(await CompareStarAsync(warehouse, probe, token));
            }
            try
            {
                await warehouse.LoadAsync(new LoadRequest(runId, store, [layer], OnPhase: Inspect, RollBack: true), ct);
            }
            catch (LoadStepException failure)
            {
                var copyStep = failure.Step.StartsWith("load_staging/", StringComparison.Ordinal)
                    ? $"copy {failure.Step["load_staging/".Length..]}"
                    : null;
                var failedRow = copyStep ?? (checkedStaging ? "merge" : "copy staging_events");
                rows.Add(new DoctorRow(failedRow, DoctorRow.Fail, OneLine(failure.Message),
                    copyStep is null && checkedStaging ? FixMerge : FixCopy(warehouse.Target)));
            }
            foreach (var step in probe.Staged.Select(r => $"copy {r.Table.SqlName}").Append("merge"))
                if (rows.All(r => r.Step != step)) rows.Add(new DoctorRow(step, DoctorRow.Skipped, "not run: an earlier step failed", ""));
            // Order the probe rows as the steps run.
            var order = probe.Staged.Select(r => $"copy {r.Table.SqlName}").Append("merge").ToList();
            var probeRows = rows.Where(r => order.Contains(r.Step)).OrderBy(r => order.IndexOf(r.Step)).ToList();
            rows.RemoveAll(r => order.Contains(r.Step));
            rows.AddRange(probeRows);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The order the probe's rows of a staging table are listed in (its rows are unique by it).</summary>
    private static string OrderOf(StagingTable table) =>
        table.SourceLine >= 0 ? "source_line" : ReferenceEquals(table, FieldCountColumns.Table) ? "source_key, field" : "source_key";

    private static async Task<DoctorRow> CompareStarAsync(IWarehouse warehouse, DoctorProbe probe, CancellationToken ct)
    {
        var expected = new Dictionary<string, (IReadOnlyList<string?[]> Rows, string Keys)>
        {
            ["songplays"] = (probe.ExpectedSongplays, string.Join(", ", probe.SongplayIds.Select(SqlText.Integer))),
            ["users"] = (probe.ExpectedUsers, string.Join(", ", probe.UserIds.Select(i => SqlText.Integer(i)))),
            ["songs"] = (probe.ExpectedSongs, string.Join(", ", probe.SongIds.Select(SqlText.Literal))),
            ["artists"] = (probe.ExpectedArtists, string.Join(", ", probe.ArtistIds.Select(SqlText.Literal))),
            ["time"] = (probe.ExpectedTime, string.Join(", ", probe.StartTimes.Select(SqlText.Timestamp))),
        };
        var counts = new List<string>();
        foreach (var (table, columns, key) in StarQueries)
        {
            var (rows, keys) = expected[table];
            var found = await warehouse.QueryAsync(
                $"SELECT {columns} FROM {SqlText.Identifier(table)} WHERE {key} IN ({keys}) ORDER BY {key}", ct);
            if (Compare(table, columns.Split(", "), rows, found) is { } difference)
                return new DoctorRow("merge", DoctorRow.Fail, difference, FixMerge);
            counts.Add($"{rows.Count} {table}");
        }
        return new DoctorRow("merge", DoctorRow.Ok,
            $"the real merge SQL gave the expected {string.Join(", ", counts)} rows (ISO weeks and weekdays around New " +
            "Year, a match within the duration tolerance, the latest event per user); rolled back", "");
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
    private static async Task<T?> StepAsync<T>(List<DoctorRow> rows, string step, string fix, Func<Task<(T Value, string Found)>> run)
    {
        try
        {
            var (value, found) = await run();
            rows.Add(new DoctorRow(step, DoctorRow.Ok, found, ""));
            return value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            rows.Add(new DoctorRow(step, DoctorRow.Fail, Describe(e), fix));
            return default;
        }
    }

    private static void Skip(List<DoctorRow> rows, params string[] steps)
    {
        foreach (var step in steps) rows.Add(new DoctorRow(step, DoctorRow.Skipped, "not run: an earlier step failed", ""));
    }

    private static string Describe(Exception e) => OneLine(e is SparkifyException
        ? e.Message
        : Warehouse.PostgresConnections.OneLine(e, null));

    private static string OneLine(string text) =>
        string.Join(' ', text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string FixConnect(string target) => target switch
    {
        "redshift" => "check --connection / [CLUSTER] HOST, DB_PORT (Redshift: 5439), DB_USER, DB_PASSWORD; the cluster's " +
                      "security group must admit this machine; TLS: [CLUSTER] SSLMODE",
        "postgres" => "check --connection / [CLUSTER] HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD and that the server accepts this client",
        _ => "check --connection (the DuckDB file) and that no other process has it open",
    };

    private static string FixPrivileges(string target) => target == "duckdb"
        ? "make the DuckDB file and its folder writable"
        : "GRANT CREATE ON SCHEMA <schema> and TEMP ON DATABASE <db> to the user (or run 'sparkify create-tables' as the owner " +
          "and grant the user INSERT, UPDATE, DELETE on the tables)";

    private static string FixStaging(string target) =>
        "create the bucket or folder; allow s3:PutObject, s3:GetObject, s3:ListBucket and s3:DeleteObject on the prefix; " +
        "check [S3] REGION / ENDPOINT" + (target == "redshift" ? "; Redshift: the staging bucket must be in the cluster's region" : "");

    private static string FixCopy(string target) => target == "redshift"
        ? "attach the [IAM_ROLE] ARN to the cluster with s3:GetObject and s3:ListBucket on the staging prefix; recreate " +
          "the staging tables if their DDL differs (sparkify create-tables)"
        : "recreate the staging tables if their columns differ (sparkify create-tables --drop loses loaded data: compare first)";

    private const string FixMerge =
        "a merge result differs from SPEC.md on this target: report it with 'sparkify doctor --format json'";
}
