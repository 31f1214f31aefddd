using Npgsql;
using Sparkify.Stream.Doctor;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.IntegrationTests.Postgres;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Redshift;

/// <summary>
/// A failed Redshift load names its cause, on the Postgres stand-in (Redshift speaks Postgres' protocol; the client is
/// the same Npgsql): the server's DETAIL reaches the exception, the load-error lookup finds the parts under the
/// https:// names Redshift gives columnar files, and a lookup that times out or loses the connection never hides the
/// failed COPY. Postgres refuses Redshift's COPY … IAM_ROLE … FORMAT AS PARQUET (a syntax error), so the COPY step
/// fails for real; the load-error view is a stand-in made in the test's schema.
/// </summary>
public sealed class RedshiftFailureCauseTests(PostgresFixture postgres, S3Fixture s3)
    : IClassFixture<PostgresFixture>, IClassFixture<S3Fixture>, IDisposable
{
    private const string Role = "arn:aws:iam::123456789012:role/SparkifyCopy";
    private const string RunId = "doctor-20261207T120000Z-cause";
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-redshift-cause-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A schema with the tables (Postgres DDL) and <paramref name="lookupStandIn"/>, the doctor's probe staged on S3
    /// (the events in two parts), and a Redshift load of it on Postgres, which fails at its first COPY.
    /// </summary>
    /// <param name="lookupStandIn">SQL made in the schema, given the bucket the parts are staged in.</param>
    private async Task<LoadStepException> FailedCopyAsync(Func<string, string> lookupStandIn, string connectionSettings = "")
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        await using (var pg = await PostgresWarehouse.OpenAsync(connection, CancellationToken.None))
            await pg.CreateTablesAsync(drop: false, CancellationToken.None);
        var bucket = await s3.CreateBucketAsync();
        await ExecuteAsync(connection, lookupStandIn(bucket));
        var store = new S3StagingStore(s3.Client, S3Uri.Parse($"s3://{bucket}/staging"));
        var (layer, parts) = await DoctorRun.StageProbeAsync(new DoctorProbe(RunId), store, RunId, _dir, CancellationToken.None);
        Assert.Equal(2, parts["staging_events"]);

        await using var redshift = await RedshiftWarehouse.OpenAsync(connection + connectionSettings, Role, CancellationToken.None);
        redshift.LookupTimeout = TimeSpan.FromSeconds(2);
        return await Assert.ThrowsAsync<LoadStepException>(() =>
            redshift.LoadAsync(new LoadRequest(RunId, store, [layer]), CancellationToken.None));
    }

    private const string DetailColumns =
        "file_name CHAR(256), line_number BIGINT, column_name CHAR(127), error_message CHAR(512), start_time TIMESTAMP";

    [Fact]
    public async Task A_failed_copy_lists_the_rows_redshift_logged_under_the_https_names_of_parquet_parts()
    {
        var failure = await FailedCopyAsync(bucket => $"""
            CREATE TABLE sys_load_error_detail ({DetailColumns});
            INSERT INTO sys_load_error_detail VALUES
              ('https://s3.us-east-1.amazonaws.com/{bucket}/staging/runs/{RunId}/events/part-00001.parquet', 7, 'user_agent',
               'String length exceeds DDL length', TIMESTAMP '2026-12-07 12:00:02'),
              ('https://{bucket}.s3.us-east-1.amazonaws.com/staging/runs/{RunId}/events/part-00000.parquet', 3, 'ts',
               'Invalid digit', TIMESTAMP '2026-12-07 12:00:01'),
              ('https://s3.us-east-1.amazonaws.com/{bucket}/staging/runs/{RunId}/songs/part-00000.parquet', 1, 'year',
               'not this COPY''s file', TIMESTAMP '2026-12-07 12:00:03');
            """);

        Assert.Equal("load_staging/staging_events", failure.Step);
        Assert.StartsWith("the redshift load failed at COPY of staging_events: syntax error at or near", failure.Message, StringComparison.Ordinal);
        var lines = failure.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal($"  https://s3.us-east-1.amazonaws.com/{BucketOf(lines[1])}/staging/runs/{RunId}/events/part-00001.parquet line 7, " +
                     "column user_agent: String length exceeds DDL length", lines[1]);
        Assert.EndsWith($"/staging/runs/{RunId}/events/part-00000.parquet line 3, column ts: Invalid digit (nothing was committed)", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("not this COPY", failure.Message, StringComparison.Ordinal);
    }

    private static string BucketOf(string line) => line.Split('/')[3];

    [Theory]
    [InlineData("pg_sleep(30)", "timed out after 2 s")]                         // the lookup times out (its own 2 s bound)
    [InlineData("pg_terminate_backend(pg_backend_pid())", "terminating connection")]   // the lookup loses the connection
    public async Task A_lookup_that_fails_itself_never_hides_the_failed_copy(string call, string said)
    {
        var failure = await FailedCopyAsync(_ => $"""
            CREATE VIEW sys_load_error_detail AS
            SELECT CAST(k.v AS CHAR(256)) AS file_name, CAST(1 AS BIGINT) AS line_number, CAST('c' AS CHAR(127)) AS column_name,
                   CAST('e' AS CHAR(512)) AS error_message, CAST(NULL AS TIMESTAMP) AS start_time
            FROM (SELECT CAST({call} AS TEXT) AS v) AS k;
            """, ";Command Timeout=2");

        Assert.Equal("load_staging/staging_events", failure.Step);
        Assert.StartsWith("the redshift load failed at COPY of staging_events: syntax error at or near", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(the rejected rows could not be read: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(said, failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Redshift_connections_keep_the_servers_detail()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        await using var redshift = await RedshiftWarehouse.OpenAsync(connection, Role, CancellationToken.None);
        var error = await Assert.ThrowsAsync<PostgresException>(() => redshift.QueryAsync(
            "DO $$ BEGIN RAISE EXCEPTION 'Spectrum Scan Error' USING DETAIL = 'context: File ''x.parquet'' has an incompatible Parquet schema'; END $$",
            CancellationToken.None));
        Assert.Equal("context: File 'x.parquet' has an incompatible Parquet schema", error.Detail);
    }

    [Fact]
    public async Task The_doctor_tells_a_syntax_error_from_a_missing_privilege()
    {
        // Redshift's DDL (DISTKEY, SORTKEY) on Postgres: the privileges step meets a real syntax error, SQLSTATE 42601.
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var bucket = await s3.CreateBucketAsync();
        var rows = await DoctorRun.RunAsync(new DoctorTargets("redshift",
            async ct => await RedshiftWarehouse.OpenAsync(connection, Role, ct),
            () => new S3StagingStore(s3.Client, S3Uri.Parse($"s3://{bucket}/staging")),
            _ => Task.FromResult<string?>(null)), CancellationToken.None);

        var privileges = Assert.Single(rows, r => r.Step == "privileges");
        Assert.Equal(DoctorRow.Fail, privileges.Status);
        Assert.Contains("syntax error", privileges.Found, StringComparison.Ordinal);
        Assert.Contains("(in the statement: CREATE TABLE IF NOT EXISTS songplays (", privileges.Found, StringComparison.Ordinal);
        Assert.StartsWith("not a privilege: redshift refused the grammar of a statement sparkify sends (SQLSTATE 42601)",
            privileges.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("GRANT CREATE", privileges.Fix, StringComparison.Ordinal);
        Assert.Equal(DoctorRow.Ok, Assert.Single(rows, r => r.Step == "cleanup").Status);
    }
}
