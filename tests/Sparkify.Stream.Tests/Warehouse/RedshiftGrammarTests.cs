using System.Globalization;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>
/// Redshift's own rules, held without a cluster: every statement the Redshift target can run (<see cref="RedshiftStatements"/>)
/// parses under sqlfluff's redshift grammar, and uses no word of AWS's reserved-word list as a bare identifier.
/// </summary>
public sealed class RedshiftGrammarTests
{
    /// <summary>
    /// Statements with an unquoted reserved word where a name stands (what the field-count tables once had): both
    /// checks must reject each of them, so a check that stopped looking would fail here.
    /// </summary>
    private static readonly string[] PlantedStatements =
    [
        "CREATE TABLE IF NOT EXISTS planted (\n    source_key  VARCHAR(65535),\n    nulls       BIGINT NOT NULL\n) DISTSTYLE EVEN",
        "INSERT INTO planted (source_key, nulls)\nSELECT c.source_key, c.null_count FROM sparkify_field_counts c",
        "SELECT kind, field, CAST(SUM(missing + nulls) AS BIGINT)\nFROM sparkify_field_counts\nGROUP BY kind, field",
    ];

    public static TheoryData<string> Planted => [.. PlantedStatements];

    [Fact]
    public async Task Every_statement_of_the_redshift_target_parses_under_sqlfluffs_redshift_grammar_and_the_planted_ones_do_not()
    {
        var statements = await RedshiftStatements.AllAsync();
        var planted = PlantedStatements;
        var folder = Directory.CreateTempSubdirectory("sparkify-sqlfluff-").FullName;
        try
        {
            // One file a statement (sqlfluff names the file that failed), all parsed by one sqlfluff run.
            string File(int i) => $"s{i.ToString("D4", CultureInfo.InvariantCulture)}.sql";
            for (var i = 0; i < statements.Count; i++) System.IO.File.WriteAllText(Path.Combine(folder, File(i)), statements[i].Sql + ";\n");
            for (var i = 0; i < planted.Length; i++) System.IO.File.WriteAllText(Path.Combine(folder, $"planted{i}.sql"), planted[i] + ";\n");

            var parsed = SqlFluff.Parse(folder, "redshift");

            var failures = statements.Select((s, i) => (s, Problem: parsed.TryGetValue(File(i), out var p) ? p : "not parsed at all"))
                .Where(f => f.Problem is not null)
                .Select(f => $"{f.s.Origin}: unparsable '{f.Problem}' in\n{f.s.Sql}").ToList();
            Assert.True(failures.Count == 0, $"{failures.Count} of {statements.Count} statements do not parse as Redshift SQL:\n" +
                                             string.Join("\n\n", failures));
            for (var i = 0; i < planted.Length; i++)
                Assert.True(parsed[$"planted{i}.sql"] is not null, $"sqlfluff accepted the planted statement {planted[i]}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task No_statement_of_the_redshift_target_uses_a_reserved_word_as_a_bare_identifier()
    {
        var misuses = (await RedshiftStatements.AllAsync())
            .Select(s => (s, Words: RedshiftReservedWords.Misuses(s.Sql)))
            .Where(m => m.Words.Count > 0)
            .Select(m => $"{m.s.Origin}: {string.Join(", ", m.Words)} in\n{m.s.Sql}").ToList();
        Assert.True(misuses.Count == 0, $"reserved words of {RedshiftReservedWords.Source} used unquoted:\n" + string.Join("\n\n", misuses));
    }

    [Theory]
    [MemberData(nameof(Planted))]
    [InlineData("SELECT c.nulls FROM sparkify_field_counts c")]
    [InlineData("SELECT COUNT(*) AS nulls FROM sparkify_field_counts")]
    public void The_reserved_word_check_reports_an_unquoted_nulls_column(string planted)
    {
        Assert.Contains(RedshiftReservedWords.Misuses(planted), m => m.StartsWith("nulls (", StringComparison.Ordinal));
        Assert.Empty(RedshiftReservedWords.Misuses(planted.Replace("nulls", "\"nulls\"", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("SELECT t.order FROM t", "order (a qualified name)")]
    [InlineData("CREATE TABLE IF NOT EXISTS t (\n    id INTEGER,\n    limit INTEGER\n)", "limit (a column definition)")]
    [InlineData("INSERT INTO \"time\" (start_time, desc) SELECT a, b FROM t", "desc (an INSERT column)")]
    [InlineData("SELECT a AS end FROM t", "end (an alias)")]
    [InlineData("SELECT user FROM t", "user (not a keyword of this project's SQL)")]
    public void A_reserved_keyword_of_ours_is_still_reported_where_only_a_name_can_stand(string sql, string misuse) =>
        Assert.Equal([misuse], RedshiftReservedWords.Misuses(sql));

    [Fact]
    public void Keywords_types_and_quoted_names_are_not_reported()
    {
        Assert.Empty(RedshiftReservedWords.Misuses(
            "CREATE TEMP TABLE run_x AS SELECT CAST(SUM(n) AS BIGINT) AS total, TIMESTAMP '1970-01-01 00:00:00' AS ts, " +
            "'nulls' AS label -- nulls in a comment\nFROM \"time\" t LEFT JOIN u ON u.id = t.id WHERE t.a IS NOT NULL " +
            "ORDER BY total DESC LIMIT 10"));
        Assert.Empty(RedshiftReservedWords.Misuses("CREATE TEMP TABLE staging_events (LIKE staging_events)"));
        Assert.Contains("NULLS", RedshiftReservedWords.All);
        Assert.DoesNotContain("NULLS", RedshiftReservedWords.UsedAsKeywords);
        Assert.True(RedshiftReservedWords.UsedAsKeywords.IsSubsetOf(RedshiftReservedWords.All));
    }

    [Fact]
    public async Task The_statement_list_covers_every_redshift_script_and_the_statements_built_in_code()
    {
        var scripts = new SqlScripts("redshift");
        var all = await RedshiftStatements.AllAsync();
        var origins = all.Select(s => s.Origin.Split(" #")[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(scripts.Names().ToHashSet(StringComparer.Ordinal), origins);
        Assert.Contains(all, s => s.Sql.StartsWith("COPY \"staging_field_counts\" FROM 's3://", StringComparison.Ordinal) &&
                                                     s.Sql.Contains("IAM_ROLE 'arn:aws:iam::", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Sql.StartsWith("LOCK ", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Sql.Contains("TIMESTAMP '2018-12-01 00:00:00'", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Sql.EndsWith("LIMIT 10", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Sql.Contains("FROM sys_load_error_detail", StringComparison.Ordinal));
        // sparkify files and forget: the ledger read with both filters, the deletes with their key lists filled.
        Assert.Contains(all, s => s.Origin.StartsWith("ledger_files", StringComparison.Ordinal) &&
                                  s.Sql.Contains("loaded_at >= TIMESTAMP '2026-11-25 12:30:00.000000'", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Sql.StartsWith("DELETE FROM sparkify_load_ledger WHERE source_key IN ('log_data/", StringComparison.Ordinal) &&
                                  s.Sql.Contains("'song_data/O''Brien/x.json')", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Sql.StartsWith("DELETE FROM sparkify_field_counts WHERE source_key IN ('", StringComparison.Ordinal));
        Assert.DoesNotContain(all, s => s.Sql.Contains("{{", StringComparison.Ordinal));
        // The doctor's own queries, recorded from a real doctor run: the version, the staged rows and star rows it reads back.
        Assert.Contains(all, s => s.Origin.StartsWith("DoctorRun", StringComparison.Ordinal) && s.Sql == "SELECT version()");
        Assert.Contains(all, s => s.Origin.StartsWith("DoctorRun", StringComparison.Ordinal) && s.Sql.Contains("FROM \"staging_field_counts\"", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Origin.StartsWith("DoctorRun", StringComparison.Ordinal) && s.Sql.Contains("FROM \"songplays\" WHERE", StringComparison.Ordinal));
        // Only redshift's own scripts and the common ones: never another dialect's.
        Assert.DoesNotContain(all, s => s.Sql.Contains("IN EXCLUSIVE MODE", StringComparison.Ordinal) ||
                                                           s.Sql.Contains("read_parquet", StringComparison.Ordinal));
    }
}
