using System.Text;
using System.Text.RegularExpressions;

namespace Sparkify.Stream.Sources;

/// <summary>
/// A validated <c>s3://bucket/prefix</c> root (a source or the staging area). The prefix is a folder: it has no
/// leading or trailing '/', and keys under it start with <c>prefix/</c>.
/// </summary>
/// <remarks>
/// Stricter than S3 itself on purpose: these URIs end up inside SQL text (Redshift COPY), so quotes, backslashes,
/// semicolons, "--" and control characters are refused outright rather than escaped.
/// </remarks>
internal sealed partial record S3Uri
{
    private const string Scheme = "s3://";
    private const int MaxKeyBytes = 1024;

    private S3Uri(string bucket, string prefix)
    {
        Bucket = bucket;
        Prefix = prefix;
    }

    public string Bucket { get; }

    /// <summary>The folder below the bucket, without leading or trailing '/'; empty for the bucket root.</summary>
    public string Prefix { get; }

    /// <summary>What keys below this root start with: <c>prefix/</c>, or empty for the bucket root.</summary>
    public string KeyPrefix => Prefix.Length == 0 ? "" : Prefix + "/";

    /// <summary>The key of a '/'-separated path relative to this root.</summary>
    public string KeyOf(string relativePath) => KeyPrefix + relativePath.TrimStart('/');

    /// <summary>The <c>s3://bucket/key</c> URL of an object key.</summary>
    public string UrlOfKey(string key) => $"{Scheme}{Bucket}/{key}";

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}{Bucket}" : $"{Scheme}{Bucket}/{Prefix}";

    /// <summary>Whether the text looks like an S3 URI at all (so a caller can choose between S3 and a local path).</summary>
    public static bool IsS3(string? text) => text is not null && text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and validates a root; throws <see cref="ConfigurationException"/> (exit 2) with a one-line reason.</summary>
    public static S3Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsS3(text)) throw Invalid(text, "it must start with s3://");
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (BucketProblem(bucket) is { } bucketProblem) throw Invalid(text, bucketProblem);
        if (PrefixProblem(prefix) is { } prefixProblem) throw Invalid(text, prefixProblem);
        if (text.Contains("--", StringComparison.Ordinal)) throw Invalid(text, "'--' (a SQL comment) is refused in an S3 URI");
        return new S3Uri(bucket, prefix);
    }

    /// <summary>Why a bucket name breaks the AWS naming rules (general purpose buckets), or null when it is valid.</summary>
    public static string? BucketProblem(string bucket)
    {
        if (bucket.Length is < 3 or > 63) return "a bucket name has 3 to 63 characters";
        if (!BucketPattern().IsMatch(bucket))
            return "a bucket name has only lowercase letters, digits, '.' and '-', and starts and ends with a letter or digit";
        if (bucket.Contains("..", StringComparison.Ordinal)) return "a bucket name has no two adjacent periods";
        if (IpAddressPattern().IsMatch(bucket)) return "a bucket name is not formatted as an IP address";
        foreach (var reserved in ReservedPrefixes)
            if (bucket.StartsWith(reserved, StringComparison.Ordinal)) return $"a bucket name cannot start with '{reserved}'";
        foreach (var reserved in ReservedSuffixes)
            if (bucket.EndsWith(reserved, StringComparison.Ordinal)) return $"a bucket name cannot end with '{reserved}'";
        return null;
    }

    private static string? PrefixProblem(string prefix)
    {
        foreach (var c in prefix)
        {
            if (char.IsControl(c)) return "the key prefix contains a control character";
            if (c is '\'' or '"' or '`' or '\\' or ';') return $"the key prefix contains '{c}'";
        }
        if (Encoding.UTF8.GetByteCount(prefix) > MaxKeyBytes - 100) return "the key prefix is too long";
        return null;
    }

    private static ConfigurationException Invalid(string text, string reason) =>
        new($"Invalid S3 URI '{Printable(text)}': {reason}.");

    // The offending value is echoed back, but never with a line break that could forge a log line.
    private static string Printable(string text)
    {
        var shown = text.Length > 120 ? text[..120] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }

    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    // \z, not $: '$' also matches before a final newline ("s3://bucket\n/x" passed).
    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]*[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IpAddressPattern();
}
