using Npgsql;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// The generated data set loaded once into DuckDB (the reference): its star tables, ledger and named query answers.
/// Shared by the tests of <see cref="CrossTargetEquivalenceTests"/>.
/// </summary>
public sealed class DuckDbBaseline : IAsyncLifetime
{
    internal Scenario Data { get; } = new();
    internal (int Songs, int Events) Written { get; private set; }
    internal Dictionary<string, List<string>> Star { get; private set; } = [];
    internal List<string> Ledger { get; private set; } = [];
    internal Dictionary<string, List<string>> Answers { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Written = SyntheticDataSet.Write(Data.SongDir, Data.LogDir);
        await using var duck = await DuckDbWarehouse.OpenAsync(Path.Combine(Data.Root, "reference.duckdb"), CancellationToken.None);
        // First half of the days, then everything: the merge's incremental paths run too.
        var first = await Data.RunAsync(duck, new DateRange(null, SyntheticDataSet.FirstDay.AddDays(2)));
        Assert.Equal(0, first.Records.Rejected);
        await Data.RunAsync(duck);
        (Star, Ledger, Answers) = await CrossTargetEquivalenceTests.ReadAsync(duck);
    }

    public Task DisposeAsync()
    {
        Data.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Issue 4: the same generated data set in DuckDB and in Postgres gives identical star tables (full sorted rows),
/// the same ledger and the same named query answers — whatever the grouping of runs, and whatever the collation
/// the Postgres database was created with.
/// </summary>
public sealed class CrossTargetEquivalenceTests(PostgresFixture postgres, DuckDbBaseline duck)
    : IClassFixture<PostgresFixture>, IClassFixture<DuckDbBaseline>
{
    [Fact]
    public async Task Postgres_holds_exactly_what_duckdb_holds_after_the_same_files_in_other_runs()
    {
        await using var pg = await PostgresWarehouses.OpenEmptyAsync(postgres);
        // The last days first, then everything: another grouping and order than the DuckDB reference.
        await duck.Data.RunAsync(pg, new DateRange(SyntheticDataSet.FirstDay.AddDays(3), null));
        var second = await duck.Data.RunAsync(pg);
        Assert.Equal(0, second.Records.Rejected);

        await AssertSameAsDuckDbAsync(pg);
    }

    /// <summary>Issue 28: the Redshift statement sequence, executed (<see cref="RedshiftStandIn"/>), gives what DuckDB gives.</summary>
    [Fact]
    public async Task The_redshift_statements_run_on_postgres_hold_exactly_what_duckdb_holds()
    {
        await using var redshift = await RedshiftStandIn.OpenAsync(await PostgresWarehouses.NewSchemaAsync(postgres));
        await duck.Data.RunAsync(redshift, new DateRange(SyntheticDataSet.FirstDay.AddDays(3), null));
        var second = await duck.Data.RunAsync(redshift);
        Assert.Equal(0, second.Records.Rejected);

        await AssertSameAsDuckDbAsync(redshift);
    }

    [Fact]
    public async Task Postgres_in_an_en_US_database_orders_text_by_bytes_like_duckdb()
    {
        await using var database = await IcuDatabase.CreateAsync(postgres, "en-US");
        await using var pg = await PostgresWarehouse.OpenAsync(database.ConnectionString, CancellationToken.None);
        await duck.Data.RunAsync(pg);

        await AssertSameAsDuckDbAsync(pg);
    }

    private async Task AssertSameAsDuckDbAsync(IWarehouse pg)
    {
        var (star, ledger, answers) = await ReadAsync(pg);
        foreach (var table in StarTables.All) Assert.Equal(duck.Star[table], star[table]);
        Assert.Equal(duck.Ledger, ledger);
        foreach (var (name, rows) in duck.Answers) Assert.Equal(rows, answers[name]);

        // Not equal by being empty: the data set has what each rule needs, and byte order decided the
        // collation-sensitive rows (smallest song id 'SOBCOLLATE' < 'SOaCOLLATE'; smallest key '…/A/B/…' < '…/A/a/…').
        var plays = star["songplays"];
        Assert.True(plays.Count > 3000, $"{plays.Count} songplays");
        Assert.True(plays.Count(p => !p.Contains("|NULL|NULL|", StringComparison.Ordinal)) > 1000, "matched plays");
        Assert.True(plays.Count(p => p.Contains("|NULL|NULL|", StringComparison.Ordinal)) > 500, "unmatched plays");
        Assert.True(star["users"].Count > 90 && star["songs"].Count > 3000 && star["artists"].Count > 300);
        Assert.Contains(star["users"], u => u.Contains("|paid|", StringComparison.Ordinal));
        Assert.Contains(star["users"], u => u.Contains("|free|", StringComparison.Ordinal));
        Assert.Contains("ARCOLLATE|Named by SOB|B|3|4", star["artists"]);
        Assert.Contains("SOBCOLLATE|From B|ARCOLLATE|2002|100", star["songs"]);
    }

    /// <summary>Star tables (sorted rows), the ledger without run ids and times, and every named query's answer in order.</summary>
    internal static async Task<(Dictionary<string, List<string>>, List<string>, Dictionary<string, List<string>>)> ReadAsync(IWarehouse w)
    {
        var star = await Tables.DumpAllAsync(w);
        var ledger = await RowsAsync(w,
            "SELECT source_key, kind, version, size, file_date, records_read, records_valid, records_rejected " +
            "FROM sparkify_load_ledger ORDER BY source_key");
        var answers = new Dictionary<string, List<string>>();
        foreach (var query in NamedQueries.All) answers[query.Name] = await RowsAsync(w, query.Sql(w.Scripts, 10_000));
        return (star, ledger, answers);
    }

    private static async Task<List<string>> RowsAsync(IWarehouse w, string sql)
    {
        var result = await w.QueryAsync(sql, CancellationToken.None);
        return [.. result.Rows.Select(r => string.Join("|", r.Select(Tables.Format)))];
    }

    /// <summary>A database whose default collation is an ICU language collation (PostgreSQL 15+), dropped afterwards.</summary>
    private sealed class IcuDatabase : IAsyncDisposable
    {
        private readonly string _admin;
        private readonly string _name;

        private IcuDatabase(string admin, string name, string connectionString) =>
            (_admin, _name, ConnectionString) = (admin, name, connectionString);

        public string ConnectionString { get; }

        public static async Task<IcuDatabase> CreateAsync(PostgresFixture postgres, string locale)
        {
            var name = $"sparkify_icu_{Guid.NewGuid():N}"[..28];
            await using (var connection = await postgres.OpenConnectionAsync())
            await using (var create = new NpgsqlCommand(
                $"CREATE DATABASE {SqlText.Identifier(name)} TEMPLATE template0 ENCODING 'UTF8' " +
                $"LOCALE_PROVIDER icu ICU_LOCALE {SqlText.Literal(locale)} LOCALE 'C'", connection))
            {
                try
                {
                    await create.ExecuteNonQueryAsync();
                }
                catch (PostgresException e)
                {
                    throw new InvalidOperationException(
                        $"this test needs PostgreSQL 15+ built with ICU (CREATE DATABASE … LOCALE_PROVIDER icu): {e.MessageText}", e);
                }
            }
            var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name }.ConnectionString;
            return new IcuDatabase(postgres.ConnectionString, name, connectionString);
        }

        public async ValueTask DisposeAsync()
        {
            await using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {SqlText.Identifier(_name)} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
