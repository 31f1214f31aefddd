using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;
using Sparkify.Stream.IntegrationTests.Infrastructure;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// `sparkify query --sql` on a real Postgres: the user's SELECT is answered; a write is refused by the server inside
/// the READ ONLY transaction the statement runs in (exit 2), a second statement before anything is sent, and the
/// star schema is unchanged row for row.
/// </summary>
public sealed class QuerySqlPostgresTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-query-sql-pg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private static async Task<string> DumpAsync(string connection)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { "songplays", "users", "songs", "artists", "time" })
        {
            await using var command = new NpgsqlCommand($"SELECT * FROM {table} ORDER BY 1, 2", c);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.GetValue(i)).Append(i + 1 < reader.FieldCount ? '|' : '\n');
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_select_is_answered_and_writes_are_refused_with_exit_2_leaving_every_row_as_it_was()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var data = Path.Combine(_dir, "data");
        DataGenerator.Generate(new GeneratorOptions(data) { Songs = 40, Events = 400, Users = 15, Days = 2, Seed = 5 });
        var load = await Run("--batch", "--target", "postgres", "--connection", connection, "--songs", Path.Combine(data, "song_data"),
            "--logs", Path.Combine(data, "log_data"), "--staging", Path.Combine(_dir, "staging"), "-q");
        Assert.True(load.Code == 0, load.Err);
        var before = await DumpAsync(connection);
        string[] target = ["--target", "postgres", "--connection", connection];

        var count = await Run(["query", "--sql", "SELECT COUNT(*) AS plays FROM songplays", "--format", "csv", .. target]);
        Assert.True(count.Code == 0, count.Err);
        Assert.Equal(before.Split('\n').Count(l => l.Split('|').Length == 9), int.Parse(count.Out.Trim().Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture));

        foreach (var write in new[] { "DELETE FROM songplays", "UPDATE users SET level = 'paid'", "DROP TABLE songplays",
                                      "CREATE TABLE evil (x int)", "SELECT setval(pg_get_serial_sequence('x', 'y'), 1)" })
        {
            var refused = await Run(["query", "--sql", write, .. target]);
            Assert.Equal(2, refused.Code);
            if (!write.StartsWith("SELECT", StringComparison.Ordinal))
                Assert.Contains("only reads, and the warehouse refused this statement: 25006", refused.Err, StringComparison.Ordinal);
        }
        var escape = await Run(["query", "--sql", "COMMIT; DROP TABLE songplays", .. target]);
        Assert.Equal(2, escape.Code);
        Assert.Contains("--sql takes one statement", escape.Err, StringComparison.Ordinal);

        Assert.Equal(before, await DumpAsync(connection));
    }
}
