using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>The dialect macros of the shared SQL, as each target receives it.</summary>
public sealed class SqlMacroTests
{
    [Theory]
    [InlineData("duckdb", "DELETE FROM staging_events;")]
    [InlineData("postgres", "TRUNCATE staging_events;")]
    [InlineData("redshift", "DROP TABLE staging_events;")]   // its own TEMP table (clear_staging); TRUNCATE would commit
    public void Staging_tables_are_emptied_in_the_dialects_way(string dialect, string expected)
    {
        var cleanup = new SqlScripts(dialect).Get("merge/90_cleanup");
        if (dialect == "duckdb")
        {
            // DuckDB's staging rows are temporary tables, dropped instead (its own cleanup script).
            Assert.Contains("DROP TABLE IF EXISTS temp.staging_events;", cleanup, StringComparison.Ordinal);
            return;
        }
        Assert.Contains(expected, cleanup, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_locks_the_ledger_then_clear_staging_truncates()
    {
        var scripts = new SqlScripts("postgres");
        Assert.Equal(["LOCK TABLE sparkify_load_ledger IN EXCLUSIVE MODE"], SqlScripts.Split(scripts.Get("lock")).Select(s => s.Text));
        Assert.Null(new SqlScripts("duckdb").TryGet("lock"));   // one writing process per file: nothing to lock
        var statements = SqlScripts.Split(scripts.Get("clear_staging")).Select(s => s.Text).ToList();
        Assert.Equal(["TRUNCATE staging_events", "TRUNCATE staging_songs", "TRUNCATE staging_files", "TRUNCATE staging_field_counts"],
            statements);
    }

    [Theory]
    [InlineData("postgres", true, 2, 0)]   // play keys and songplays by their primary keys
    [InlineData("redshift", true, 1, 1)]   // play keys by their SORTKEY songplay_id, songplays by theirs, start_time
    [InlineData("duckdb", false, 0, 0)]
    public void Keyed_inserts_are_in_the_order_the_target_keeps_and_unsorted_on_duckdb(
        string dialect, bool ordered, int byEventId, int byTs)
    {
        var scripts = new SqlScripts(dialect);
        var songplays = scripts.Get("merge/60_songplays");
        var time = scripts.Get("merge/70_time");
        Assert.DoesNotContain("key_order", songplays + time, StringComparison.Ordinal);
        Assert.Equal(byEventId, songplays.Split("ORDER BY p.event_id;").Length - 1);
        Assert.Equal(byTs, songplays.Split("ORDER BY p.ts;").Length - 1);
        Assert.Equal(ordered, time.Contains("ORDER BY t.start_time;", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("postgres", "CREATE TEMP VIEW run_events AS", "DROP VIEW IF EXISTS run_events")]
    [InlineData("duckdb", "CREATE TEMP VIEW run_events AS", "DROP VIEW IF EXISTS run_events")]
    [InlineData("redshift", "CREATE TEMP TABLE run_events AS", "DROP TABLE IF EXISTS run_events")]   // no temporary views
    public void Run_events_is_a_view_where_the_dialect_has_temporary_views(string dialect, string create, string drop)
    {
        var scripts = new SqlScripts(dialect);
        var statements = SqlScripts.Split(scripts.Get("merge/10_run_events")).Select(s => s.Text).ToList();
        Assert.Equal(drop, statements[0]);
        Assert.StartsWith(create, statements[1].Split('\n').SkipWhile(l => l.StartsWith("--", StringComparison.Ordinal)).First(),
            StringComparison.Ordinal);
        Assert.Contains(SqlScripts.Split(scripts.Get("merge/90_cleanup")), s => s.Text == drop);
        Assert.DoesNotContain("{{", scripts.Get("merge/10_run_events"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres", "CREATE UNLOGGED TABLE IF NOT EXISTS staging_events (")]
    [InlineData("duckdb", "CREATE TABLE IF NOT EXISTS staging_events (")]
    public void Staging_tables_are_unlogged_on_postgres_only(string dialect, string expected)
    {
        var ddl = new SqlScripts(dialect).Get("create_tables");
        Assert.Contains(expected, ddl, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS songplays (", ddl, StringComparison.Ordinal);   // the star stays logged
        Assert.Equal(dialect == "postgres" ? 4 : 0, ddl.Split("UNLOGGED").Length - 1);
    }

    [Theory]
    [InlineData("postgres", 9)]
    [InlineData("duckdb", 0)]
    public void Keys_are_indexed_on_postgres_and_not_held_in_duckdbs_memory(string dialect, int keys)
    {
        var ddl = new SqlScripts(dialect).Get("create_tables").ReplaceLineEndings("\n");
        Assert.Equal(keys, ddl.Split("PRIMARY KEY").Length - 1);
        Assert.Contains(dialect == "postgres" ? "songplay_id BIGINT PRIMARY KEY,\n    song " : "songplay_id BIGINT,\n    song ",
            ddl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("duckdb", "epoch_ms(s.ts)")]
    [InlineData("postgres", "(TIMESTAMP '1970-01-01 00:00:00' + s.ts * INTERVAL '1 millisecond')")]
    [InlineData("redshift", "DATEADD(ms, CAST(s.ts % 60000 AS INTEGER), " +
                            "DATEADD(minute, CAST(s.ts / 60000 AS INTEGER), TIMESTAMP '1970-01-01 00:00:00'))")]
    public void Staged_epoch_milliseconds_become_a_timestamp_once_where_run_events_is_built(string dialect, string expected)
    {
        var scripts = new SqlScripts(dialect);
        Assert.Contains($"SELECT s.event_id, {expected} AS ts, s.user_id,", scripts.Get("merge/10_run_events"), StringComparison.Ordinal);
        // Every other statement reads run_events.ts (a TIMESTAMP already), never the staged BIGINT.
        var others = scripts.List("merge").Where(s => s != "merge/10_run_events")
            .SelectMany(step => SqlScripts.Split(scripts.Get(step)))
            .Where(statement => statement.Text.Contains("staging_events", StringComparison.Ordinal));
        Assert.All(others, statement => Assert.DoesNotMatch(@"\bts\b", statement.Text));
    }

    [Fact]
    public void No_dialect_macro_is_left_unexpanded_in_any_script_of_any_dialect()
    {
        // ({{now}}, {{limit}} and the like are values, filled in when a script runs.)
        foreach (var dialect in new[] { "duckdb", "postgres", "redshift" })
        {
            var scripts = new SqlScripts(dialect);
            foreach (var name in scripts.List("merge").Append("create_tables").Append("clear_staging"))
            {
                var sql = scripts.Get(name);
                foreach (var macro in new[] { "{{distinct(", "{{clear(", "{{unlogged}}", "{{key}}", "{{epoch_ms(" })
                    Assert.DoesNotContain(macro, sql, StringComparison.Ordinal);
            }
        }
    }
}
