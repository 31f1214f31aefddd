using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// Amazon Redshift: staging is loaded with one <c>COPY … FORMAT AS PARQUET MANIFEST</c> per table from the run's
/// S3 manifests (the cluster reads S3 itself, with the IAM role), then the common merge runs, ledger included,
/// in the same transaction.
/// </summary>
internal sealed partial class RedshiftWarehouse : SqlWarehouse
{
    private readonly string _iamRoleArn;

    private RedshiftWarehouse(NpgsqlConnection connection, string iamRoleArn, ILogger logger)
        : base(connection, new SqlScripts("redshift"), logger) => _iamRoleArn = iamRoleArn;

    public override string Target => "redshift";

    /// <summary>Opens the cluster over SSL. The role ARN is validated before anything is sent.</summary>
    public static Task<RedshiftWarehouse> OpenAsync(string connectionString, string? iamRoleArn, CancellationToken ct) =>
        OpenAsync(connectionString, iamRoleArn, NullLogger.Instance, ct);

    /// <param name="logger">Where each statement's duration goes (debug level).</param>
    public static async Task<RedshiftWarehouse> OpenAsync(
        string connectionString, string? iamRoleArn, ILogger logger, CancellationToken ct)
    {
        var arn = ValidateIamRole(iamRoleArn);
        // With the server's DETAIL kept: a failed COPY of Parquet says only "Spectrum Scan Error" in its message; the
        // file, column and reason are in DETAIL, which Npgsql otherwise replaces with a notice that it was redacted.
        var connection = await PostgresConnections.OpenAsync(connectionString, "Redshift", null, errorDetail: true, ct);
        // Redshift runs every transaction serializable (or snapshot) whatever BEGIN says; asking for SERIALIZABLE, the
        // level its BEGIN documents, rather than Npgsql's default READ COMMITTED.
        return new RedshiftWarehouse(connection, arn, logger) { Isolation = System.Data.IsolationLevel.Serializable };
    }

    /// <summary>The exact COPY statement for one staging table (also used by the tests).</summary>
    public static string CopySql(SqlScripts scripts, string table, string manifestUrl, string iamRoleArn)
    {
        var statement = SqlScripts.Split(scripts.Get("copy")).Single();
        return SqlText.Fill(statement.Text, new Dictionary<string, string>
        {
            ["table"] = SqlText.Identifier(table),
            ["manifest"] = SqlText.Literal(ValidateManifestUrl(manifestUrl)),
            ["iam_role"] = SqlText.Literal(ValidateIamRole(iamRoleArn)),
        });
    }

    protected override async Task<long> LoadStagingTableAsync(string table, string manifestUrl,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, DbTransaction tx, CancellationToken ct)
    {
        RequireS3Staging(store);
        await ExecuteAsync(CopySql(Scripts, table, manifestUrl, _iamRoleArn), tx, ct);
        var rows = await QueryAsync(CountSql(table), ct);
        return Convert.ToInt64(rows.Rows[0][0], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A failed COPY is deterministic (not retried): say why, with Redshift's DETAIL (for Parquet the message alone is
    /// "Spectrum Scan Error"; the file, column and reason are in DETAIL), and name the rows Redshift rejected, looked up
    /// only for the failed COPY and only among that COPY's own part files. A lookup that fails itself (a timeout, a
    /// broken connection) is said so, after the COPY's own failure, which it never replaces.
    /// </summary>
    protected override async Task<string?> DescribeLoadFailureAsync(
        string step, IReadOnlyList<string> files, Exception failure, CancellationToken ct)
    {
        if (!step.StartsWith("load_staging/", StringComparison.Ordinal) || failure is not PostgresException pg) return null;
        QueryResult? errors = null;
        string? lookupFailed = null;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(LookupTimeout);   // reads have no statement timeout: the lookup has its own bound
        foreach (var script in files.Count == 0 ? [] : new[] { "load_errors", "load_errors_stl" })
        {
            try
            {
                errors = await QueryAsync(LoadErrorsSql(Scripts, script, files), bounded.Token);
                lookupFailed = null;
                break;
            }
            catch (PostgresException e)
            {
                // sys_load_error_detail is missing on older clusters; stl_load_errors on Serverless.
                lookupFailed = Join(lookupFailed, PostgresConnections.OneLine(e, null));
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                lookupFailed = Join(lookupFailed, $"timed out after {LookupTimeout.TotalSeconds:0} s");
                break;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                lookupFailed = Join(lookupFailed, PostgresConnections.OneLine(e, null));   // timed out, or the connection is gone: stop
                break;
            }
        }
        return FormatLoadErrors(pg.MessageText, pg.Detail, errors, lookupFailed);
    }

    /// <summary>How long the load-error lookup after a failed COPY may take (a test shortens it).</summary>
    internal TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    private static string Join(string? first, string then) => first is null ? then : $"{first}; then {then}";

    /// <summary>
    /// The load-error lookup for these part files (their URLs validated as S3 URIs, then quoted): each is matched by
    /// its <c>s3://</c> URL and by the <c>https://</c> URLs Redshift logs for a columnar load, path-style and
    /// virtual-hosted.
    /// </summary>
    public static string LoadErrorsSql(SqlScripts scripts, string script, IReadOnlyList<string> files)
    {
        var parsed = files.Select(f => S3Uri.Parse(ValidateManifestUrl(f))).ToList();
        var match = new List<string> { $"e.file_name IN ({string.Join(", ", parsed.Select(u => SqlText.Literal(u.ToString())))})" };
        foreach (var uri in parsed)
        {
            match.Add($"(e.file_name LIKE {SqlText.Literal($"https://%/{LikeText(uri.Bucket)}/{LikeText(uri.Prefix)}")} ESCAPE '!')");
            match.Add($"(e.file_name LIKE {SqlText.Literal($"https://{LikeText(uri.Bucket)}.%/{LikeText(uri.Prefix)}")} ESCAPE '!')");
        }
        var sql = SqlText.Fill(scripts.Get(script), new Dictionary<string, string> { ["files"] = $"({string.Join("\n   OR ", match)})" });
        return SqlScripts.Split(sql).Single().Text;
    }

    /// <summary>Text matched literally by LIKE … ESCAPE '!' (its wildcards and the escape character escaped).</summary>
    private static string LikeText(string text) =>
        text.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);

    /// <summary>
    /// "COPY failed: …", Redshift's DETAIL on one line, and one line per rejected row (file, line, column, reason,
    /// value); or why there are none.
    /// </summary>
    /// <param name="lookupFailed">Why the rejected rows could not be read (the lookup's own failure), or null.</param>
    public static string FormatLoadErrors(string message, string? detail, QueryResult? errors, string? lookupFailed = null)
    {
        var text = new StringBuilder(Secrets.Mask(message));
        if (DetailOf(detail) is { } shown) text.Append(" DETAIL: ").Append(shown);
        if (lookupFailed is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (the rejected rows could not be read: {lookupFailed})");
            return text.ToString();
        }
        if (errors is null || errors.Rows.Count == 0)
        {
            text.Append(" (no rows in sys_load_error_detail/stl_load_errors for this COPY's files)");
            return text.ToString();
        }
        foreach (var row in errors.Rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n  {row[0]} line {row[1]}, column {row[2]}: {row[3]}");
            if (row[4] is { } value && value.ToString() is { Length: > 0 } v) text.Append(CultureInfo.InvariantCulture, $" (value '{v}')");
        }
        return text.ToString();
    }

    /// <summary>
    /// A server's DETAIL on one line: Redshift's layout (a "-----" rule, then "error:", "code:", "context:", "query:",
    /// "location:", "process:" lines) keeps its error, code, context and query; the source location and process, which
    /// are Redshift's own internals, are dropped. A URL's query string (a presigned URL's signature) is cut, and
    /// secrets masked. Null when there is none, or when Npgsql redacted it.
    /// </summary>
    internal static string? DetailOf(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail) || detail.StartsWith("Detail redacted", StringComparison.Ordinal)) return null;
        var lines = detail.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Trim('-').Length > 0)
            .Select(l => RedshiftDetailLine().Match(l) is { Success: true } m ? $"{m.Groups[1].Value}: {m.Groups[2].Value}" : l)
            .Where(l => !l.StartsWith("location: ", StringComparison.Ordinal) && !l.StartsWith("process: ", StringComparison.Ordinal));
        return Secrets.Mask(UrlQuery().Replace(string.Join("; ", lines), "$1"));
    }

    [GeneratedRegex(@"^([a-z]+):\s+(.*)$")]
    private static partial Regex RedshiftDetailLine();

    [GeneratedRegex(@"(https?://[^\s'""?]+)\?[^\s'""]*")]
    private static partial Regex UrlQuery();

    /// <summary>An IAM role ARN (<c>arn:aws:iam::123456789012:role/name</c>); anything else is refused (exit 2).</summary>
    public static string ValidateIamRole(string? arn)
    {
        if (string.IsNullOrWhiteSpace(arn))
            throw new ConfigurationException("the redshift target needs [IAM_ROLE] ARN (the role the cluster uses to read S3)");
        if (!IamRolePattern().IsMatch(arn))
            throw new ConfigurationException(
                "[IAM_ROLE] ARN is not an IAM role ARN like arn:aws:iam::123456789012:role/RedshiftCopy " +
                "(letters, digits and +=,.@_/- in the name, no '--'; it goes into SQL text)");
        return arn;
    }

    private static string ValidateManifestUrl(string url)
    {
        var parsed = S3Uri.Parse(url);   // refuses quotes, backslashes, semicolons, control characters
        return parsed.ToString();
    }

    /// <summary>
    /// Redshift COPY reads the staging area itself, so it must be on S3: the one check, made when the run's
    /// infrastructure is opened (and by `sparkify doctor`) and again before each COPY.
    /// </summary>
    /// <param name="configured">The staging location as configured, for the message; null: the store's description.</param>
    /// <returns>The staging area's bucket and prefix.</returns>
    public static S3Uri RequireS3Staging(IStagingStore store, string? configured = null) =>
        store.S3Location ?? throw new ConfigurationException(
            "the redshift target needs S3 staging ([S3] STAGING / --staging s3://bucket/prefix), not " +
            (configured ?? store.Description));

    /// <summary>The region in a cluster's endpoint (<c>name.id.us-west-2.redshift.amazonaws.com</c>), or null.</summary>
    public static string? ClusterRegion(string? host) =>
        host is not null && ClusterHostPattern().Match(host) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>
    /// The region of a bucket from its GetBucketLocation answer: none (null or empty) is us-east-1, and the legacy
    /// constraint <c>EU</c> is eu-west-1 (AWS S3 API reference, GetBucketLocation: "Buckets in Region us-east-1 have a
    /// LocationConstraint of null. Buckets with a LocationConstraint of EU reside in eu-west-1.").
    /// </summary>
    public static string BucketRegion(string? locationConstraint) => locationConstraint switch
    {
        null or "" => "us-east-1",
        "EU" => "eu-west-1",
        _ => locationConstraint,
    };

    /// <summary>
    /// COPY of Parquet accepts no REGION option: the staging bucket must be in the cluster's region. Refuses
    /// (exit 2) when both regions are known and differ.
    /// </summary>
    public static void CheckStagingRegion(string? clusterRegion, string? bucketRegion, string staging)
    {
        if (clusterRegion is null || bucketRegion is null) return;
        if (!string.Equals(clusterRegion, bucketRegion, StringComparison.OrdinalIgnoreCase))
            throw new ConfigurationException(
                $"the staging area {staging} is in {bucketRegion} but the Redshift cluster is in {clusterRegion}: " +
                "COPY of Parquet cannot read another region (no REGION option), so stage in the cluster's region");
    }

    [GeneratedRegex(@"\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.redshift(?:-serverless)?\.amazonaws\.com(?:\.cn)?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex ClusterHostPattern();

    // \z, not $: '$' also matches before a final newline. No "--" (a SQL comment), though IAM would allow it.
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::\d{12}:role/(?!.*--)[A-Za-z0-9+=,.@_/-]{1,512}\z")]
    private static partial Regex IamRolePattern();
}
