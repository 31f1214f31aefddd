using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// <c>[CLUSTER] CREDENTIAL_PROCESS</c> with the client Redshift users have, the AWS CLI, against the emulator
/// (moto serves Secrets Manager and Redshift's GetClusterCredentials beside S3), signing a real Postgres session in:
/// no password in the configuration, and the doctor says how it signed in.
/// </summary>
public sealed class CredentialProcessAwsCliTests(PostgresFixture postgres, S3Fixture emulator)
    : IClassFixture<PostgresFixture>, IClassFixture<S3Fixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-credproc-aws-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The AWS CLI's arguments that point it at the emulator.</summary>
    private string Aws => $"aws --endpoint-url {emulator.Endpoint.ToString().TrimEnd('/')} --region {S3Fixture.Region}";

    private async Task<string> RunAwsAsync(string arguments)
    {
        var words = CredentialProcess.Split($"{Aws} {arguments}");
        var start = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in words.Skip(1)) start.ArgumentList.Add(word);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "the AWS CLI (aws) is not installed: scripts/test.sh installs Debian's awscli, or `apt-get install -y awscli`", e);
        }
        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"aws {arguments}: exit {process.ExitCode}: {errors}");
            return output;
        }
    }

    /// <summary>`sparkify doctor` on the Postgres target through a connection with no user or password, the credential process configured.</summary>
    private async Task<(int Code, Dictionary<string, string?> Connect, string Text)> DoctorAsync(string connection, string credentialProcess)
    {
        var config = Path.Combine(_dir, "dwh.cfg");
        await File.WriteAllTextAsync(config, $"[CLUSTER]\nCREDENTIAL_PROCESS = {credentialProcess}\n");
        var bare = new NpgsqlConnectionStringBuilder(connection) { Username = null, Password = null }.ConnectionString;
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await SparkifyCli.RunAsync(["doctor", "--config", config, "--target", "postgres", "--connection", bare,
            "--staging", Path.Combine(_dir, "staging"), "--format", "json"], output, errors);
        var text = output + errors.ToString();
        var rows = output.ToString().TrimStart().StartsWith('[')
            ? JsonSerializer.Deserialize<List<Dictionary<string, string?>>>(output.ToString())!
            : [];
        return (code, rows.FirstOrDefault(r => r["step"] == "connect") ?? [], text);
    }

    [Fact]
    public async Task A_secrets_manager_secret_read_by_the_aws_cli_signs_the_session_in_and_the_doctor_passes()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var server = new NpgsqlConnectionStringBuilder(connection);
        var name = $"sparkify/test/{Guid.NewGuid():N}";
        var secret = JsonSerializer.Serialize(new { username = server.Username, password = server.Password, engine = "postgres" });
        await RunAwsAsync($"secretsmanager create-secret --name {name} --secret-string '{secret}'");

        var (code, connect, text) = await DoctorAsync(connection, $"{Aws} secretsmanager get-secret-value --secret-id {name}");

        Assert.True(code == 0, text);
        Assert.Equal("OK", connect["status"]);
        Assert.Contains($"signed in as {server.Username} with credentials from [CLUSTER] CREDENTIAL_PROCESS ('aws': a Secrets Manager secret); " +
                        "no password stored", connect["found"], StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redshift_temporary_credentials_from_get_cluster_credentials_sign_the_session_in()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var schema = new NpgsqlConnectionStringBuilder(connection).SearchPath!;
        var cluster = $"sparkify-{Guid.NewGuid():N}"[..20];
        await RunAwsAsync($"redshift create-cluster --cluster-identifier {cluster} --node-type dc2.large " +
                          "--master-username admin --master-user-password Passw0rd1");
        var user = $"u{Guid.NewGuid():N}"[..12];
        var command = $"{Aws} redshift get-cluster-credentials --cluster-identifier {cluster} --db-user {user} --duration-seconds 900";

        // What the AWS CLI answers (the emulator's temporary password) is what the session signs in with: the
        // database user IAM:<user> is made here with that password, as Redshift makes it on a real cluster.
        var credentials = await CredentialProcess.For(command).GetAsync(CancellationToken.None);
        Assert.Equal($"IAM:{user}", credentials.User);
        Assert.True(credentials.Expiration > DateTimeOffset.UtcNow.AddMinutes(10), $"{credentials.Expiration:O}");
        var role = $"\"{credentials.User.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";   // IAM:… as Redshift names it, quoted
        await using (var admin = await postgres.OpenConnectionAsync())
        await using (var create = new NpgsqlCommand(
            $"CREATE ROLE {role} LOGIN PASSWORD {SqlText.Literal(credentials.Password)}; " +
            $"GRANT CONNECT, CREATE, TEMPORARY ON DATABASE {SqlText.Identifier(postgres.DatabaseName)} TO {role}; " +
            $"GRANT USAGE, CREATE ON SCHEMA {SqlText.Identifier(schema)} TO {role}", admin))
        {
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            var (code, connect, text) = await DoctorAsync(connection, command);

            Assert.True(code == 0, text);
            Assert.Contains($"signed in as IAM:{user} with credentials from [CLUSTER] CREDENTIAL_PROCESS " +
                            "('aws': aws redshift get-cluster-credentials, valid until ", connect["found"], StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.Password, text, StringComparison.Ordinal);
            Assert.Equal(1, CredentialProcess.For(command).Runs);   // valid for 15 minutes: fetched once, kept in memory
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = await postgres.OpenConnectionAsync();
            await using var drop = new NpgsqlCommand(
                $"DROP OWNED BY {role}; DROP ROLE {role}", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_failing_aws_cli_is_exit_2_naming_it_and_showing_none_of_its_output()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var command = $"{Aws} secretsmanager get-secret-value --secret-id sparkify/none/{Guid.NewGuid():N}";
        var config = Path.Combine(_dir, "dwh.cfg");
        await File.WriteAllTextAsync(config, $"[CLUSTER]\nCREDENTIAL_PROCESS = {command}\n");
        var bare = new NpgsqlConnectionStringBuilder(connection) { Username = null, Password = null }.ConnectionString;
        var (output, errors) = (new StringWriter(), new StringWriter());

        var code = await SparkifyCli.RunAsync(["query", "top-songs", "--config", config, "--target", "postgres", "--connection", bare],
            output, errors);

        var text = output + errors.ToString();
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("[CLUSTER] CREDENTIAL_PROCESS: 'aws' failed with exit code", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ResourceNotFound", text, StringComparison.Ordinal);   // the CLI's own message is not echoed
        // The doctor shows the same as its connect row's failure.
        var (doctor, connect, _) = await DoctorAsync(connection, command);
        Assert.Equal(ExitCodes.RunFailed, doctor);
        Assert.Equal("FAIL", connect["status"]);
        Assert.Contains("'aws' failed with exit code", connect["found"], StringComparison.Ordinal);
    }
}
