using System.Globalization;
using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;

namespace Sparkify.Stream.Tests.Configuration;

/// <summary>
/// <c>[CLUSTER] CREDENTIAL_PROCESS</c>: the user and password from a command's JSON (the AWS CLI's shapes and a
/// Secrets Manager secret), the command split as a shell would and run without one, fetched again near expiry, and
/// a command that fails or prints something else an exit-2 error that shows none of its output. Real processes (sh
/// scripts written by the tests); the AWS CLI against the S3/Redshift/Secrets Manager emulator is in the integration tests.
/// </summary>
public sealed class CredentialProcessTests : IDisposable
{
    private const string Secret = "s3cr3t-Zq81";
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-credproc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An executable sh script in the test folder; its path, quoted for the command line.</summary>
    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return $"'{path}'";
    }

    [Theory]
    [InlineData("aws redshift get-cluster-credentials --db-user alice", new[] { "aws", "redshift", "get-cluster-credentials", "--db-user", "alice" })]
    [InlineData("  aws\t--query 'a b'  ", new[] { "aws", "--query", "a b" })]
    [InlineData("printf \"%s \\\"x\\\" \\$HOME\" a\\ b", new[] { "printf", "%s \"x\" $HOME", "a b" })]
    [InlineData("cmd 'it'\\''s' \"\" x''y", new[] { "cmd", "it's", "", "xy" })]
    [InlineData("cmd ';' '|' '$(id)' \\>", new[] { "cmd", ";", "|", "$(id)", ">" })]
    public void Splits_the_command_into_words_as_a_posix_shell_would_without_expanding_anything(string command, string[] words) =>
        Assert.Equal(words, CredentialProcess.Split(command));

    [Theory]
    [InlineData("cmd 'open")]
    [InlineData("cmd \"open")]
    public void An_unterminated_quote_is_a_configuration_error(string command)
    {
        var e = Assert.Throws<ConfigurationException>(() => new CredentialProcess(command));
        Assert.Contains("unterminated", e.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public void An_empty_command_is_a_configuration_error() =>
        Assert.Contains("empty", Assert.Throws<ConfigurationException>(() => new CredentialProcess("  ")).Message, StringComparison.Ordinal);

    public static TheoryData<string, string, string, string?, string> Shapes => new()
    {
        {   // aws redshift get-cluster-credentials (and -with-iam)
            """{"DbUser": "IAM:alice", "DbPassword": "pw1", "Expiration": "2026-12-07T14:28:13.917695Z"}""",
            "IAM:alice", "pw1", "2026-12-07T14:28:13.9176950+00:00", "aws redshift get-cluster-credentials"
        },
        {   // aws redshift-serverless get-credentials
            """{"dbUser": "IAMR:bob", "dbPassword": "pw2", "expiration": "2026-12-07T15:00:00+01:00", "nextRefreshTime": "x"}""",
            "IAMR:bob", "pw2", "2026-12-07T14:00:00.0000000+00:00", "aws redshift-serverless get-credentials"
        },
        {   // a secret string (get-secret-value --query SecretString --output text), as RDS/Redshift secrets hold it
            """{"username": "carol", "password": "pw3", "engine": "redshift", "host": "h", "port": 5439}""",
            "carol", "pw3", null, "a Secrets Manager secret"
        },
        {   // the whole get-secret-value answer
            """{"ARN": "arn:aws:secretsmanager:us-east-1:1:secret:s", "Name": "s", "SecretString": "{\"username\":\"dave\",\"password\":\"pw4\"}"}""",
            "dave", "pw4", null, "a Secrets Manager secret"
        },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Reads_the_user_password_and_expiry_of_each_shape(string output, string user, string password, string? expiration, string source)
    {
        var credentials = CredentialProcess.Parse(output, "aws");
        Assert.Equal((user, password, source), (credentials.User, credentials.Password, credentials.Source));
        Assert.Equal(expiration, credentials.Expiration?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Assert.DoesNotContain(password, credentials.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password=" + Secret)]
    [InlineData("""{"DbUser": "alice"}""")]
    [InlineData("""{"DbPassword": """ + "\"" + Secret + "\"}")]
    [InlineData("""["alice", """ + "\"" + Secret + "\"]")]
    [InlineData("""{"SecretString": "user alice password """ + Secret + "\"}")]
    [InlineData("""{"username": 1, "password": """ + "\"" + Secret + "\"}")]
    [InlineData("")]
    public void Output_it_cannot_read_is_a_configuration_error_that_shows_none_of_it(string output)
    {
        var e = Assert.Throws<ConfigurationException>(() => CredentialProcess.Parse(output, "aws"));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("'aws' printed no credentials sparkify can read (its output is not shown)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expiration_that_is_not_a_time_is_an_error_that_shows_no_output()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            CredentialProcess.Parse($$"""{"DbUser": "a", "DbPassword": "{{Secret}}", "Expiration": "soon"}""", "aws"));
        Assert.Contains("Expiration that is not a date and time", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_the_command_without_a_shell_so_its_arguments_reach_it_literally()
    {
        // printf (the program, not a shell builtin) fills the JSON from its arguments: ';', '$HOME' and '*' arrive as written.
        var process = new CredentialProcess("printf '{\"username\": \"%s\", \"password\": \"%s\"}' 'a;b' '$HOME *'");
        var credentials = await process.GetAsync(CancellationToken.None);
        Assert.Equal(("a;b", "$HOME *"), (credentials.User, credentials.Password));
        Assert.Equal("printf", process.Program);
    }

    /// <summary>A command that counts its runs in a file and prints credentials named after the count, expiring at <paramref name="expiration"/>.</summary>
    private CredentialProcess Counting(DateTimeOffset expiration)
    {
        var count = Path.Combine(_dir, "runs");
        var at = expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        var script = Script("creds.sh", $$"""
            n=$(cat '{{count}}' 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > '{{count}}'
            printf '{"DbUser": "IAM:user%s", "DbPassword": "pw%s", "Expiration": "{{at}}"}' "$n" "$n"
            """);
        return new CredentialProcess(script);
    }

    [Fact]
    public async Task Credentials_expiring_within_five_minutes_are_fetched_again_before_the_next_connection()
    {
        var process = Counting(DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal("IAM:user1", (await process.GetAsync(CancellationToken.None)).User);
        Assert.Equal("IAM:user2", (await process.GetAsync(CancellationToken.None)).User);
        Assert.Equal(2, process.Runs);
    }

    [Fact]
    public async Task Credentials_valid_for_longer_are_kept_in_memory_and_the_command_is_not_run_again()
    {
        var process = Counting(DateTimeOffset.UtcNow.AddHours(1));
        var first = await process.GetAsync(CancellationToken.None);
        var second = await process.GetAsync(CancellationToken.None);
        Assert.Same(first, second);
        Assert.Equal(1, process.Runs);
    }

    [Fact]
    public async Task A_failing_command_is_exit_2_with_its_exit_code_and_none_of_its_output()
    {
        var script = Script("fails.sh", $"echo '{{\"username\": \"u\", \"password\": \"{Secret}\"}}'; echo 'token {Secret}' >&2; exit 3");
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => new CredentialProcess(script).GetAsync(CancellationToken.None));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("failed with exit code 3 (its output is not shown", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_printing_something_else_is_exit_2_showing_none_of_it()
    {
        var script = Script("prints.sh", $"echo 'DbPassword: {Secret}'");
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => new CredentialProcess(script).GetAsync(CancellationToken.None));
        Assert.Contains("printed no credentials sparkify can read", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_exit_2_naming_it()
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() =>
            new CredentialProcess("sparkify-no-such-program --secret-id x").GetAsync(CancellationToken.None));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("cannot run 'sparkify-no-such-program'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_signs_in_with_the_commands_user_and_password_instead_of_the_configured_ones()
    {
        var script = Script("secret.sh", $"echo '{{\"username\": \"svc_sparkify\", \"password\": \"{Secret}\"}}'");
        var path = Path.Combine(_dir, "dwh.cfg");
        // No DB_USER or DB_PASSWORD needed; a stale DB_PASSWORD is replaced.
        File.WriteAllText(path, $"[WAREHOUSE]\nTARGET = redshift\n[CLUSTER]\nHOST = c.example.com\nDB_NAME = dev\n" +
                                $"DB_PASSWORD = old\nCREDENTIAL_PROCESS = {script}\n");
        var options = ConfigurationLoader.Load(path, new Dictionary<string, string?>(), new Dictionary<string, string?>());
        Assert.DoesNotContain(script, options.ToString(), StringComparison.Ordinal);

        var signedIn = new NpgsqlConnectionStringBuilder(
            await InfrastructureFactory.SignedInAsync(InfrastructureFactory.RedshiftConnection(options), options, CancellationToken.None));
        Assert.Equal(("svc_sparkify", Secret, "c.example.com", 5439), (signedIn.Username, signedIn.Password, signedIn.Host, signedIn.Port));
        var how = await InfrastructureFactory.AuthenticationAsync(options, CancellationToken.None);
        Assert.StartsWith("signed in as svc_sparkify with credentials from [CLUSTER] CREDENTIAL_PROCESS", how, StringComparison.Ordinal);
        Assert.Contains("a Secrets Manager secret", how, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, how, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_credential_process_the_connection_is_left_as_configured()
    {
        var path = Path.Combine(_dir, "dwh.cfg");
        File.WriteAllText(path, "[WAREHOUSE]\nTARGET = postgres\n[CLUSTER]\nHOST = h\nDB_NAME = d\nDB_USER = u\nDB_PASSWORD = p\n");
        var options = ConfigurationLoader.Load(path, new Dictionary<string, string?>(), new Dictionary<string, string?>());
        var connection = InfrastructureFactory.PostgresConnection(options);
        Assert.Equal(connection, await InfrastructureFactory.SignedInAsync(connection, options, CancellationToken.None));
        Assert.Equal("signed in as u with the password in the configuration",
            await InfrastructureFactory.AuthenticationAsync(options, CancellationToken.None));
    }
}
