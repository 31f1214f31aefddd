using System.Text.Json;
using Amazon.S3.Model;
using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.IntegrationTests.Postgres;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Doctor;

/// <summary>
/// `sparkify doctor` against a real Postgres and a real S3 API (moto): every step passes and nothing stays; a missing
/// bucket, a wrong password and a user without CREATE each fail their own row, exit 1.
/// </summary>
public sealed class DoctorPostgresS3Tests(PostgresFixture postgres, S3Fixture s3)
    : IClassFixture<PostgresFixture>, IClassFixture<S3Fixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-doctor-pg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A config file naming the S3 endpoint (the emulator) and region.</summary>
    private string Config()
    {
        var path = Path.Combine(_dir, "dwh.cfg");
        File.WriteAllText(path, $"[S3]\nENDPOINT = {s3.Endpoint}\nREGION = {S3Fixture.Region}\n");
        return path;
    }

    private async Task<(int Code, Dictionary<string, Dictionary<string, string?>> Rows, string Text)> DoctorAsync(
        string connection, string staging)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(["doctor", "--config", Config(), "--target", "postgres",
            "--connection", connection, "--staging", staging, "--format", "json"], output, errors);
        var text = output + errors.ToString();
        var rows = output.ToString().TrimStart().StartsWith('[')
            ? JsonSerializer.Deserialize<List<Dictionary<string, string?>>>(output.ToString())!.ToDictionary(r => r["step"]!)
            : [];
        return (code, rows, text);
    }

    private static async Task<long> CountAsync(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Passes_on_postgres_with_s3_staging_and_leaves_no_table_row_or_object()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var schema = new NpgsqlConnectionStringBuilder(connection).SearchPath!;
        var bucket = await s3.CreateBucketAsync();

        var (code, rows, text) = await DoctorAsync(connection, $"s3://{bucket}/staging");

        Assert.True(code == 0, text);
        Assert.Equal(["connect", "privileges", "staging", "copy staging_events", "copy staging_songs", "copy staging_files", "copy staging_field_counts",
            "merge", "replace", "cleanup"], rows.Keys);
        Assert.All(rows.Values, r => Assert.Equal("OK", r["status"]));
        Assert.Contains("127.0.0.1:", rows["connect"]["found"], StringComparison.Ordinal);
        Assert.Contains($"s3://{bucket}/staging", rows["staging"]["found"], StringComparison.Ordinal);
        Assert.Contains("400 rows in 2 parts of 4 row groups", rows["copy staging_events"]["found"], StringComparison.Ordinal);
        Assert.Contains("backfill --replace of 2099-12-30..2099-12-31", rows["replace"]["found"], StringComparison.Ordinal);
        // Rolled back: the schema has no tables (the probe created them inside its transaction), the bucket no objects.
        Assert.Equal(0, await CountAsync(connection,
            $"SELECT count(*) FROM information_schema.tables WHERE table_schema = {SqlText.Literal(schema)}"));
        var left = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(left.S3Objects ?? []);
    }

    [Fact]
    public async Task Fails_the_staging_row_when_the_bucket_does_not_exist()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var (code, rows, text) = await DoctorAsync(connection, $"s3://sparkify-no-such-bucket-{Guid.NewGuid():N}"[..48] + "/staging");

        Assert.Equal(1, code);
        Assert.Equal("OK", rows["connect"]["status"]);
        Assert.Equal("FAIL", rows["staging"]["status"]);
        Assert.Contains("bucket", rows["staging"]["fix"], StringComparison.Ordinal);
        Assert.Equal("SKIP", rows["copy staging_events"]["status"]);
        Assert.Equal("SKIP", rows["merge"]["status"]);
        Assert.False(rows.ContainsKey("cleanup"), text);   // nothing was put, so nothing to delete
        Assert.Single(rows.Values, r => r["status"] == "FAIL");
    }

    [Fact]
    public async Task Fails_the_connect_row_on_a_wrong_password_and_never_shows_it()
    {
        const string wrong = "not-the-password-3141";
        var connection = new NpgsqlConnectionStringBuilder(await PostgresWarehouses.NewSchemaAsync(postgres)) { Password = wrong }.ConnectionString;
        var bucket = await s3.CreateBucketAsync();

        var (code, rows, text) = await DoctorAsync(connection, $"s3://{bucket}/staging");

        Assert.Equal(1, code);
        Assert.Equal("FAIL", rows["connect"]["status"]);
        Assert.Contains("password", rows["connect"]["found"], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
        Assert.Equal("SKIP", rows["merge"]["status"]);
    }

    [Fact]
    public async Task Fails_the_privileges_row_when_the_user_cannot_create_tables()
    {
        var owner = await PostgresWarehouses.NewSchemaAsync(postgres);
        var schema = new NpgsqlConnectionStringBuilder(owner).SearchPath!;
        var role = $"doctor_{Guid.NewGuid():N}"[..20];
        const string password = "doctor-role-secret";
        await using (var admin = await postgres.OpenConnectionAsync())
        {
            foreach (var sql in new[]
                     {
                         $"CREATE ROLE {role} LOGIN PASSWORD {SqlText.Literal(password)}",
                         $"GRANT CONNECT ON DATABASE {SqlText.Identifier(postgres.DatabaseName)} TO {role}",
                         $"GRANT USAGE ON SCHEMA {SqlText.Identifier(schema)} TO {role}",   // but not CREATE
                     })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }
        var connection = new NpgsqlConnectionStringBuilder(owner) { Username = role, Password = password }.ConnectionString;
        var bucket = await s3.CreateBucketAsync();

        var (code, rows, text) = await DoctorAsync(connection, $"s3://{bucket}/staging");

        Assert.Equal(1, code);
        Assert.Equal("OK", rows["connect"]["status"]);
        Assert.Equal("FAIL", rows["privileges"]["status"]);
        Assert.Contains("permission denied", rows["privileges"]["found"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("GRANT CREATE ON SCHEMA", rows["privileges"]["fix"], StringComparison.Ordinal);
        Assert.DoesNotContain("not a privilege", rows["privileges"]["fix"], StringComparison.Ordinal);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
    }
}
