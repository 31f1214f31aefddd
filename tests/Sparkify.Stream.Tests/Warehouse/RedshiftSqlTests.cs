using System.Text.RegularExpressions;
using Sparkify.Stream.Records;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>The SQL the Redshift target sends, as text (no Redshift is reachable from here).</summary>
public sealed class RedshiftSqlTests
{
    private const string Role = "arn:aws:iam::123456789012:role/RedshiftCopy";
    private static readonly SqlScripts Scripts = new("redshift");

    [Fact]
    public void Copy_reads_one_manifest_per_table_as_parquet_with_the_iam_role()
    {
        var sql = RedshiftWarehouse.CopySql(Scripts, "staging_events",
            "s3://sparkify-staging/prod/runs/20261125T120000Z-1a2b3c4d/events.manifest", Role);

        Assert.Equal(
            "COPY \"staging_events\" FROM 's3://sparkify-staging/prod/runs/20261125T120000Z-1a2b3c4d/events.manifest' " +
            "IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopy' FORMAT AS PARQUET MANIFEST", sql);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/x'; DROP TABLE users; --")]
    [InlineData("arn:aws:iam::123456789012:role/x\nDELETE FROM users")]
    [InlineData("arn:aws:iam::12345:role/short-account")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("")]
    public void Refuses_an_iam_role_that_is_not_a_role_arn(string arn)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            RedshiftWarehouse.CopySql(Scripts, "staging_events", "s3://bucket-name/runs/x/events.manifest", arn));
        Assert.Equal(2, error.ExitCode);
    }

    [Theory]
    [InlineData("s3://bucket-name/runs/x'; DROP TABLE users; --/events.manifest")]
    [InlineData("s3://bucket-name/runs/x;/events.manifest")]
    [InlineData("s3://bucket-name/runs/x\n/events.manifest")]
    [InlineData("s3://Bad_Bucket/events.manifest")]
    [InlineData("https://bucket-name/events.manifest")]
    public void Refuses_a_manifest_url_that_could_change_the_statement(string url)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            RedshiftWarehouse.CopySql(Scripts, "staging_events", url, Role));
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void Every_merge_script_resolves_without_postgres_only_syntax()
    {
        var steps = Scripts.List("merge");
        Assert.Contains("merge/60_songplays", steps);
        foreach (var step in steps)
        {
            var sql = Scripts.Get(step);
            Assert.DoesNotContain("IS DISTINCT FROM", sql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("NULLS LAST", sql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ON CONFLICT", sql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("{{distinct", sql, StringComparison.Ordinal);
        }
        Assert.Contains("(songs.title <> r.title OR (songs.title IS NULL AND r.title IS NOT NULL) OR " +
                        "(songs.title IS NOT NULL AND r.title IS NULL))", Scripts.Get("merge/30_songs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Redshift_ddl_keeps_the_staging_column_order_of_the_parquet_schema()
    {
        var ddl = Scripts.Get("create_tables");
        Assert.Contains("DISTKEY (start_time) SORTKEY (start_time)", ddl, StringComparison.Ordinal);
        var columns = ColumnsOf(ddl, "staging_events");
        Assert.Equal(Sparkify.Stream.Staging.StagingParquet.EventSchema.DataFields.Select(f => f.Name), columns);
        Assert.Equal(Sparkify.Stream.Staging.StagingParquet.SongSchema.DataFields.Select(f => f.Name), ColumnsOf(ddl, "staging_songs"));
        Assert.Equal(Sparkify.Stream.Staging.StagingParquet.FileSchema.DataFields.Select(f => f.Name), ColumnsOf(ddl, "staging_files"));
        Assert.Equal(ColumnsOf(new SqlScripts("common").Get("create_tables"), "songplays"), ColumnsOf(ddl, "songplays"));
    }

    [Fact]
    public void Redshift_staging_ddl_types_are_the_exact_match_of_the_parquet_types()
    {
        // COPY maps by position and type (docs/semantics.md#staging-tables); ts is BIGINT epoch ms: no staging column is a TIMESTAMP.
        var ddl = Scripts.Get("create_tables");
        foreach (var (table, schema) in new[]
                 {
                     ("staging_events", Sparkify.Stream.Staging.StagingParquet.EventSchema),
                     ("staging_songs", Sparkify.Stream.Staging.StagingParquet.SongSchema),
                     ("staging_files", Sparkify.Stream.Staging.StagingParquet.FileSchema),
                 })
        {
            var expected = schema.DataFields.Select(f => f.ClrType switch
            {
                var t when t == typeof(long) => "BIGINT",
                var t when t == typeof(int) => "INTEGER",
                var t when t == typeof(double) => "DOUBLE PRECISION",
                _ => "VARCHAR",
            });
            // (VARCHAR of any length: the bookkeeping columns of staging_files are shorter than 65,535.)
            Assert.Equal(expected, DefinitionsOf(ddl, table).Select(d => d.Type.Split('(')[0]));
        }
        Assert.Contains(("ts", "BIGINT"), DefinitionsOf(ddl, "staging_events"));
    }

    [Fact]
    public void Redshift_turns_the_staged_epoch_milliseconds_into_a_timestamp_with_integer_dateadds_only()
    {
        var sql = Scripts.Get("merge/10_run_events");
        Assert.Contains(
            "SELECT s.event_id, DATEADD(ms, CAST(s.ts % 60000 AS INTEGER), " +
            "DATEADD(minute, CAST(s.ts / 60000 AS INTEGER), TIMESTAMP '1970-01-01 00:00:00')) AS ts,",
            sql, StringComparison.Ordinal);
        // DATEADD's interval is an INTEGER: the minutes of every ts the parser accepts (EventColumns' range) fit.
        var accepted = EventColumns.Table.Columns[EventColumns.Table.Ordinal("ts")].Source!.IntegerRange!;
        Assert.InRange(accepted.Min / 60_000, int.MinValue, int.MaxValue);
        Assert.InRange(accepted.Max / 60_000, int.MinValue, int.MaxValue);
        Assert.DoesNotContain("to_timestamp", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1000.0", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_copy_names_the_rejected_rows()
    {
        var rows = new QueryResult(["file_name", "line_number", "column_name", "error_message", "column_value"],
        [
            ["s3://b/runs/r/events/part-00000.parquet", 12L, "user_agent", "String length exceeds DDL length", null],
            ["s3://b/runs/r/events/part-00000.parquet", 40L, "status", "Invalid digit", "4x4"],
        ]);
        var message = RedshiftWarehouse.FormatLoadErrors("Load into table 'staging_events' failed.", null, rows);

        Assert.Equal(
            "Load into table 'staging_events' failed.\n" +
            "  s3://b/runs/r/events/part-00000.parquet line 12, column user_agent: String length exceeds DDL length\n" +
            "  s3://b/runs/r/events/part-00000.parquet line 40, column status: Invalid digit (value '4x4')", message);
    }

    [Fact]
    public void Load_errors_are_looked_up_for_the_failed_copys_own_files_only()
    {
        string[] files = ["s3://sparkify-staging/runs/r/events/part-00000.parquet", "s3://sparkify-staging/runs/r/events/part-00001.parquet"];
        var sql = RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors", files);
        Assert.Contains("FROM sys_load_error_detail", sql, StringComparison.Ordinal);
        Assert.Contains("WHERE (e.file_name IN ('s3://sparkify-staging/runs/r/events/part-00000.parquet', " +
                        "'s3://sparkify-staging/runs/r/events/part-00001.parquet')", sql, StringComparison.Ordinal);
        Assert.Contains("FROM stl_load_errors", RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors_stl", files), StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() =>
            RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors", ["s3://sparkify-staging/x'); DROP TABLE users; --"]));
    }

    /// <summary>
    /// The lookups run (on DuckDB, whose LIKE … ESCAPE is the standard one Redshift documents) over load-error rows
    /// named as Redshift names them: CHAR-padded s3:// URLs, and for a Parquet load the https:// URLs, path-style and
    /// virtual-hosted. Only the failed COPY's own parts match: not another part, bucket or run, nor a key that differs
    /// where the real one has a '_' (a LIKE wildcard unless escaped).
    /// </summary>
    [Theory]
    [InlineData("load_errors", "sys_load_error_detail (file_name VARCHAR, line_number BIGINT, column_name VARCHAR, error_message VARCHAR, start_time TIMESTAMP)")]
    [InlineData("load_errors_stl", "stl_load_errors (filename VARCHAR, line_number BIGINT, colname VARCHAR, err_reason VARCHAR, raw_field_value VARCHAR, starttime TIMESTAMP)")]
    public void The_lookup_matches_the_file_names_redshift_logs_for_parquet(string script, string table)
    {
        string[] files = ["s3://sparkify-staging/prod/runs/r_1/field_counts/part-00000.parquet", "s3://sparkify-staging/prod/runs/r_1/field_counts/part-00001.parquet"];
        string[] logged =
        [
            "s3://sparkify-staging/prod/runs/r_1/field_counts/part-00000.parquet" + new string(' ', 40),
            "https://s3.us-west-2.amazonaws.com/sparkify-staging/prod/runs/r_1/field_counts/part-00001.parquet",
            "https://sparkify-staging.s3.us-west-2.amazonaws.com/prod/runs/r_1/field_counts/part-00000.parquet",
            "https://s3.us-west-2.amazonaws.com/sparkify-staging/prod/runs/rX1/field_counts/part-00000.parquet",
            "https://s3.us-west-2.amazonaws.com/sparkify-staging/prod/runs/r_1/fieldXcounts/part-00000.parquet",
            "s3://sparkify-staging/prod/runs/r_1/field_counts/part-00002.parquet",
            "https://other-bucket.s3.us-west-2.amazonaws.com/prod/runs/r_1/field_counts/part-00000.parquet",
            "https://s3.us-west-2.amazonaws.com/other-bucket/prod/runs/r_1/field_counts/part-00001.parquet",
        ];
        using var db = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        db.Open();
        void Run(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        Run($"CREATE TABLE {table}");
        var extra = script == "load_errors" ? "" : ", 'x'";
        for (var i = 0; i < logged.Length; i++)
            Run($"INSERT INTO {table.Split(' ')[0]} VALUES ({SqlText.Literal(logged[i])}, {i}, 'example_id', 'bad'{extra}, TIMESTAMP '2026-12-07 10:00:00' + INTERVAL {i} SECOND)");

        using var lookup = db.CreateCommand();
        lookup.CommandText = RedshiftWarehouse.LoadErrorsSql(Scripts, script, files);
        var lines = new List<long>();
        using (var reader = lookup.ExecuteReader())
            while (reader.Read()) lines.Add(reader.GetInt64(1));

        Assert.Equal([2L, 1L, 0L], lines);   // newest first
    }

    [Fact]
    public void A_failed_copy_of_parquet_says_what_redshift_put_in_detail()
    {
        // DETAIL as Redshift sends it for a Parquet COPY (whose message is only "Spectrum Scan Error"), with a presigned URL.
        const string detail = """

            -----------------------------------------------
              error:  Spectrum Scan Error
              code:      15007
              context:   File 'https://s3.us-west-2.amazonaws.com/b/runs/r/events/part-00001.parquet?X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=abc' has an incompatible Parquet schema for column 's3://b/runs/r/events/part-00001.parquet.ts'. Column type: BIGINT, Parquet schema:\noptional int32 ts
              query:     146667179
              location:  dory_util.cpp:1777
              process:   worker_thread [pid=30296]
            -----------------------------------------------
            """;
        var message = RedshiftWarehouse.FormatLoadErrors("Spectrum Scan Error", detail, null,
            "42P01: relation \"stl_load_errors\" does not exist");

        Assert.Equal(
            "Spectrum Scan Error DETAIL: error: Spectrum Scan Error; code: 15007; context: File " +
            "'https://s3.us-west-2.amazonaws.com/b/runs/r/events/part-00001.parquet' has an incompatible Parquet schema for " +
            "column 's3://b/runs/r/events/part-00001.parquet.ts'. Column type: BIGINT, Parquet schema:\\noptional int32 ts; " +
            "query: 146667179 (the rejected rows could not be read: 42P01: relation \"stl_load_errors\" does not exist)", message);
        // Npgsql's notice that it redacted DETAIL is no detail.
        Assert.Equal("m (no rows in sys_load_error_detail/stl_load_errors for this COPY's files)",
            RedshiftWarehouse.FormatLoadErrors("m", "Detail redacted as it may contain sensitive data. Specify 'Include Error Detail' in the connection string to include this information.", null));
    }

    [Fact]
    public void A_load_locks_the_ledger_alone_then_stages_into_temp_tables()
    {
        // ACCESS EXCLUSIVE on Redshift: only the ledger, so the star schema stays readable during a load (lock.sql).
        Assert.Equal(["LOCK sparkify_load_ledger"], SqlScripts.Split(Scripts.Get("lock")).Select(s => s.Text));
        var statements = SqlScripts.Split(Scripts.Get("clear_staging")).Select(s => s.Text).ToList();
        Assert.Equal(
        [
            "CREATE TEMP TABLE staging_events (LIKE staging_events)",
            "CREATE TEMP TABLE staging_songs (LIKE staging_songs)",
            "CREATE TEMP TABLE staging_files (LIKE staging_files)",
            "CREATE TEMP TABLE staging_field_counts (LIKE staging_field_counts)",
        ], statements);
        // The temp tables are dropped at the end of the load; the permanent staging tables are never emptied with
        // DELETE (dead rows for VACUUM) nor TRUNCATE (which commits on Redshift).
        var cleanup = SqlScripts.Split(Scripts.Get("merge/90_cleanup")).Select(s => s.Text).ToList();
        Assert.Equal(["DROP TABLE IF EXISTS run_events", "DROP TABLE IF EXISTS run_duplicate_ids", "DROP TABLE staging_events", "DROP TABLE staging_songs",
            "DROP TABLE staging_files", "DROP TABLE staging_field_counts"], cleanup);
        foreach (var step in Scripts.List("merge").Append("clear_staging"))
        {
            Assert.DoesNotContain("TRUNCATE", Scripts.Get(step), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(@"DELETE FROM staging_", Scripts.Get(step));
        }
    }

    [Theory]
    [InlineData("redshift")]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    public void No_select_list_holds_an_is_comparison_and_the_week_is_the_documented_iso_week(string dialect)
    {
        var scripts = new SqlScripts(dialect);
        foreach (var name in scripts.List("merge").Concat(scripts.List("checks")).Concat(scripts.List("queries")))
        {
            var sql = scripts.Get(name);
            // "x IS [NOT] NULL AS name": a boolean IS comparison in a select list (Redshift: WHERE predicates only).
            Assert.DoesNotMatch(@"(?i)\bIS\s+(NOT\s+)?(NULL|TRUE|FALSE)\s+AS\b", sql);
            Assert.DoesNotMatch(@"(?i)EXTRACT\s*\(\s*week", sql);
        }
        Assert.Contains("CAST(DATE_PART('week', t.start_time) AS INTEGER)", scripts.Get("merge/70_time"), StringComparison.Ordinal);
        Assert.Contains("CASE WHEN k.songplay_id IS NULL THEN 0 ELSE 1 END AS known", scripts.Get("merge/60_songplays"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_read_their_counts_from_a_from_clause()
    {
        foreach (var name in Scripts.List("checks"))
        {
            var statement = SqlScripts.Split(Scripts.Get(name)).Single().Text;
            Assert.StartsWith("SELECT CAST(SUM(n) AS BIGINT) AS violations\nFROM (", statement, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_ordered_insert_is_in_its_tables_sort_key_order()
    {
        // AWS, "Load your data in sort key order": rows in SORTKEY order append to the sorted region. An INSERT … SELECT
        // … ORDER BY x must order by the select item that fills the table's SORTKEY column (or not order at all).
        var sortKeys = Regex.Matches(Scripts.Get("create_tables"),
                @"CREATE TABLE IF NOT EXISTS (""?\w+""?) \((?:[^;])*?\)[^;(]*SORTKEY \((\w+)\)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Assert.Equal("start_time", sortKeys["songplays"]);
        var ordered = 0;
        foreach (var statement in await RedshiftStatements.AllAsync())
        {
            var insert = Regex.Match(statement.Sql,
                @"^INSERT INTO (""?\w+""?) \(([^)]*)\)\s*SELECT (.*?)\nFROM .*\nORDER BY ([\w.]+)$", RegexOptions.Singleline);
            if (!insert.Success) continue;
            var columns = insert.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries);
            var items = insert.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries);
            var filled = columns[Array.IndexOf(items, insert.Groups[4].Value)];
            Assert.True(sortKeys.TryGetValue(insert.Groups[1].Value, out var sortKey) && filled == sortKey,
                $"{statement.Origin} orders {insert.Groups[1].Value} by {filled}, not by its SORTKEY {sortKey}");
            ordered++;
        }
        Assert.Equal(3, ordered);   // songplays, sparkify_play_keys and "time"
    }

    private static List<string> ColumnsOf(string ddl, string table) => [.. DefinitionsOf(ddl, table).Select(d => d.Name)];

    /// <summary>The column names and types of <paramref name="table"/> in the DDL, one column a line, in order.</summary>
    private static List<(string Name, string Type)> DefinitionsOf(string ddl, string table)
    {
        var start = ddl.IndexOf($"CREATE TABLE IF NOT EXISTS {table} (", StringComparison.Ordinal);
        if (start < 0) start = ddl.IndexOf($"CREATE TABLE IF NOT EXISTS \"{table}\" (", StringComparison.Ordinal);
        var body = ddl[(ddl.IndexOf('(', start) + 1)..ddl.IndexOf("\n)", start, StringComparison.Ordinal)];
        return
        [
            .. body.Split('\n').Select(l => l.Trim().TrimEnd(',')).Where(l => l.Length > 0).Select(l =>
            {
                var name = l.Split(' ')[0];
                return (name, l[name.Length..].Trim());
            }),
        ];
    }
}

public sealed class RedshiftRegionTests
{
    [Theory]
    [InlineData("my-cluster.abc123xyz.us-west-2.redshift.amazonaws.com", "us-west-2")]
    [InlineData("wg.123456789012.eu-central-1.redshift-serverless.amazonaws.com", "eu-central-1")]
    [InlineData("c.x.cn-north-1.redshift.amazonaws.com.cn", "cn-north-1")]
    [InlineData("localhost", null)]
    [InlineData(null, null)]
    public void Reads_the_region_from_the_cluster_endpoint(string? host, string? region) =>
        Assert.Equal(region, RedshiftWarehouse.ClusterRegion(host));

    [Fact]
    public void Refuses_staging_in_another_region_than_the_cluster()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            RedshiftWarehouse.CheckStagingRegion("us-west-2", "eu-west-1", "s3://bucket/staging"));
        Assert.Contains("eu-west-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("us-west-2", error.Message, StringComparison.Ordinal);
        RedshiftWarehouse.CheckStagingRegion("us-west-2", "us-west-2", "s3://bucket/staging");
        RedshiftWarehouse.CheckStagingRegion(null, "eu-west-1", "s3://bucket/staging");
    }
}
