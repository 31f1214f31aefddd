using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Configuration;

/// <summary>A database user and password a credential process gave, and until when they are valid (null: no end).</summary>
/// <param name="Source">Which shape of output they were read from, for the doctor ("aws redshift get-cluster-credentials").</param>
internal sealed record DatabaseCredentials(string User, string Password, DateTimeOffset? Expiration, string Source)
{
    public override string ToString() => $"DatabaseCredentials {{ User = {User}, Password = ***, Expiration = {Expiration:O}, Source = {Source} }}";
}

/// <summary>
/// <c>[CLUSTER] CREDENTIAL_PROCESS</c>: the database user and password come from a command's output instead of the
/// config file, after the idea of the AWS CLI's <c>credential_process</c> — run a command, read JSON from it. The
/// command is split into arguments as a POSIX shell would split them (quotes, backslashes) and run without a shell.
/// Its output may be the JSON of <c>aws redshift get-cluster-credentials</c> / <c>get-cluster-credentials-with-iam</c>
/// (<c>DbUser</c>, <c>DbPassword</c>, <c>Expiration</c>), of <c>aws redshift-serverless get-credentials</c>
/// (<c>dbUser</c>, <c>dbPassword</c>, <c>expiration</c>), or a Secrets Manager secret — its string
/// (<c>username</c>, <c>password</c>) or the whole <c>get-secret-value</c> answer (<c>SecretString</c> holding it).
/// Credentials are kept in memory only and fetched again when a connection is opened less than
/// <see cref="RefreshMargin"/> before they expire (a watcher runs for days; IAM credentials last 15–60 minutes).
/// Nothing the command prints, on either stream, is ever shown: a failure says only which program failed and how.
/// </summary>
internal sealed class CredentialProcess
{
    /// <summary>Credentials expiring within this are fetched again before a connection is opened with them.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>How long the command may run (the AWS CLI answers in seconds; a hung one must not hang a run).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<string, CredentialProcess> Shared = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<string> _arguments;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DatabaseCredentials? _current;

    public CredentialProcess(string command)
    {
        _arguments = Split(command);
        if (_arguments.Count == 0) throw new ConfigurationException("[CLUSTER] CREDENTIAL_PROCESS is empty: give the command that prints the credentials");
    }

    /// <summary>One instance per command in the process, so every connection a run or a watcher opens shares its credentials.</summary>
    public static CredentialProcess For(string command) => Shared.GetOrAdd(command, c => new CredentialProcess(c));

    /// <summary>The program run (the command's first word), the only part of it ever shown.</summary>
    public string Program => _arguments[0];

    /// <summary>How many times the command has been run (for the tests of the refresh).</summary>
    public int Runs { get; private set; }

    /// <summary>The current credentials, from the command when there are none yet or they expire within <see cref="RefreshMargin"/>.</summary>
    public async Task<DatabaseCredentials> GetAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } current && (current.Expiration is not { } until || until - DateTimeOffset.UtcNow > RefreshMargin))
                return current;
            _current = Parse(await RunAsync(ct), Program);
            Runs++;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> RunAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo(_arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in _arguments.Skip(1)) start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ConfigurationException($"[CLUSTER] CREDENTIAL_PROCESS: cannot run '{Program}': {e.Message}");
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);   // read (so the command never blocks on a full pipe), never shown
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(output, errors);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            ct.ThrowIfCancellationRequested();
            throw new ConfigurationException(
                $"[CLUSTER] CREDENTIAL_PROCESS: '{Program}' did not finish within {Timeout.TotalSeconds:0} s; it was stopped");
        }
        if (process.ExitCode != 0)
        {
            throw new ConfigurationException(
                $"[CLUSTER] CREDENTIAL_PROCESS: '{Program}' failed with exit code {process.ExitCode} (its output is not shown: it " +
                "can hold secrets; run the command yourself to see it)");
        }
        return await output;
    }

    /// <summary>The credentials in a credential process's output; anything else is a configuration error that shows none of it.</summary>
    internal static DatabaseCredentials Parse(string output, string program)
    {
        var wrong = new ConfigurationException(
            $"[CLUSTER] CREDENTIAL_PROCESS: '{program}' printed no credentials sparkify can read (its output is not shown). " +
            "Expected the JSON of 'aws redshift get-cluster-credentials' (DbUser, DbPassword, Expiration), of " +
            "'aws redshift-serverless get-credentials' (dbUser, dbPassword, expiration), or a Secrets Manager secret " +
            "(username, password; e.g. 'aws secretsmanager get-secret-value --secret-id NAME --query SecretString --output text')");
        var root = JsonObject(output) ?? throw wrong;
        if (String(root, "SecretString") is { } secret)   // the whole get-secret-value answer
            root = JsonObject(secret) ?? throw wrong;
        (string User, string Password, string Expiration, string Source)[] shapes =
        [
            ("DbUser", "DbPassword", "Expiration", "aws redshift get-cluster-credentials"),
            ("dbUser", "dbPassword", "expiration", "aws redshift-serverless get-credentials"),
            ("username", "password", "", "a Secrets Manager secret"),
        ];
        foreach (var shape in shapes)
        {
            if (String(root, shape.User) is not { Length: > 0 } user || String(root, shape.Password) is not { Length: > 0 } password) continue;
            DateTimeOffset? expiration = null;
            if (shape.Expiration.Length > 0 && root.TryGetProperty(shape.Expiration, out var e) && e.ValueKind != JsonValueKind.Null)
            {
                if (e.ValueKind != JsonValueKind.String ||
                    !DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    throw new ConfigurationException(
                        $"[CLUSTER] CREDENTIAL_PROCESS: '{program}' printed an {shape.Expiration} that is not a date and time (its output is not shown)");
                }
                expiration = at;
            }
            return new DatabaseCredentials(user, password, expiration, shape.Source);
        }
        throw wrong;
    }

    /// <summary>The JSON object <paramref name="text"/> holds; null when it is not one.</summary>
    private static JsonElement? JsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// The words of <paramref name="command"/> as a POSIX shell splits them, without expanding anything: blanks
    /// separate words; '…' keeps everything literally; "…" keeps everything but a backslash before " \ $ or `;
    /// a backslash outside quotes keeps the next character.
    /// </summary>
    internal static IReadOnlyList<string> Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    break;
                case '\'':
                {
                    var end = command.IndexOf('\'', i + 1);
                    if (end < 0) throw Unterminated("'");
                    word.Append(command, i + 1, end - i - 1);
                    i = end;
                    inWord = true;
                    break;
                }
                case '"':
                    for (i++; ; i++)
                    {
                        if (i >= command.Length) throw Unterminated("\"");
                        if (command[i] == '"') break;
                        if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`') i++;
                        word.Append(command[i]);
                    }
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 < command.Length) word.Append(command[++i]);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static ConfigurationException Unterminated(string quote) =>
        new($"[CLUSTER] CREDENTIAL_PROCESS has an unterminated {quote} quote");
}
