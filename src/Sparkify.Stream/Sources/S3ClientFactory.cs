using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Sparkify.Stream.Sources;

/// <summary>How to reach S3: <c>[S3] REGION</c>, <c>[S3] ENDPOINT</c> (an S3-compatible server) and the fault settings.</summary>
internal sealed record S3Settings
{
    /// <summary>The bucket region (e.g. <c>us-west-2</c>); null takes the SDK's default (AWS_REGION, profile).</summary>
    public string? Region { get; init; }

    /// <summary>An http(s) URL of an S3-compatible server (MinIO, moto); null for AWS itself.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Retries per request inside the SDK (standard mode: exponential backoff with jitter). Default 8.</summary>
    public int MaxErrorRetry { get; init; } = 8;

    /// <summary>Time allowed for one request up to its response headers (uploads include the body). Default 5 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time allowed to open a connection. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a read of an object's body may wait for bytes before it counts as a stalled connection (a transient
    /// fault, so the pipeline fetches the object again). Default 60 seconds.
    /// </summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>[S3] MAX_CONCURRENCY</c>: input requests in flight at once (GETs of files and of byte ranges, list pages).
    /// S3 answers a GET after 10-50 ms whatever its size, so tens of thousands of small files need many at once.
    /// Default 128.
    /// </summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Keys per list page asked for (S3 gives at most 1,000); tests ask for fewer to page small listings.</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>
    /// Bytes per ranged GET of a big file (a file of two ranges or more is read as ranges, several at once). Default
    /// 4 MiB: at ~25 ms to the first byte and ~100 MB/s per connection a range takes ~65 ms, so four in flight bring
    /// ~250 MB/s, more than the parse stage takes in.
    /// </summary>
    public int RangeSize { get; init; } = 4 << 20;

    /// <summary>
    /// Ranges in flight over all big files at once, each held whole in memory until read (so at most this many times
    /// <see cref="RangeSize"/> of memory: 16 MiB by default; 6 of 8 MiB put the stage's peak RSS 1.3x over one
    /// GET's). Default 4; 1 reads big files with one GET.
    /// </summary>
    public int RangesInFlight { get; init; } = 4;

    public const int DefaultMaxConcurrency = 128;

    /// <summary>The largest <see cref="MaxConcurrency"/> accepted.</summary>
    public const int MaxMaxConcurrency = 1024;
}

/// <summary>Builds the one <see cref="IAmazonS3"/> client of a run; credentials come from the SDK's default chain.</summary>
internal static partial class S3ClientFactory
{
    /// <param name="credentials">Explicit credentials (tests against an emulator); null uses the SDK's default chain.</param>
    /// <param name="httpClientFactory">Replaces the SDK's HTTP stack (tests count or break requests with it).</param>
    public static IAmazonS3 Create(S3Settings settings, AWSCredentials? credentials = null, HttpClientFactory? httpClientFactory = null)
    {
        var config = CreateConfig(settings, httpClientFactory);
        try
        {
            return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        }
        catch (AmazonClientException ex) when (config.RegionEndpoint is null && config.ServiceURL is null)
        {
            // A setting, not a failed run: exit 2 with what to set.
            throw new ConfigurationException(
                "S3 needs a region: set [S3] REGION (SPARKIFY_S3__REGION) or AWS_REGION, or [S3] ENDPOINT for an " +
                $"S3-compatible server ({ex.Message})");
        }
    }

    public static AmazonS3Config CreateConfig(S3Settings settings, HttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxErrorRetry is < 0 or > 20)
            throw new ConfigurationException($"S3 MaxErrorRetry must be 0 to 20, not {settings.MaxErrorRetry}.");
        if (settings.RangeSize < 1 << 16 || settings.RangesInFlight < 1 || settings.ListPageSize is < 1 or > 1000)
            throw new ConfigurationException("S3 range size must be at least 64 KiB, ranges in flight at least 1, list pages 1 to 1000 keys.");
        if (settings.MaxConcurrency is < 1 or > S3Settings.MaxMaxConcurrency)
            throw new ConfigurationException($"[S3] MAX_CONCURRENCY must be 1 to {S3Settings.MaxMaxConcurrency}, not {settings.MaxConcurrency}.");
        var region = ValidRegion(settings.Region);
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = settings.MaxErrorRetry,
            Timeout = settings.RequestTimeout,
            ConnectTimeout = settings.ConnectTimeout,
        };
        if (httpClientFactory is not null) config.HttpClientFactory = httpClientFactory;

        if (settings.Endpoint is { Length: > 0 } endpoint)
        {
            // ServiceURL and RegionEndpoint exclude each other; the region then only signs requests.
            config.ServiceURL = ValidEndpoint(endpoint).ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
            // S3-compatible servers do not all understand the SDK's default trailing (aws-chunked) checksums.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return config;
    }

    private static string? ValidRegion(string? region)
    {
        if (string.IsNullOrWhiteSpace(region)) return null;
        region = region.Trim();
        return RegionPattern().IsMatch(region)
            ? region
            : throw new ConfigurationException("S3 region must look like 'us-west-2' (lowercase letters, digits and '-').");
    }

    private static Uri ValidEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ConfigurationException("S3 endpoint must be an http:// or https:// URL, such as http://127.0.0.1:9000.");
        // Credentials come from the SDK's chain, never from a URL that might be logged.
        if (uri.UserInfo.Length > 0)
            throw new ConfigurationException("S3 endpoint must not contain user information; credentials come from the AWS SDK's default chain.");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new ConfigurationException($"S3 endpoint must not have a query or fragment: {uri.GetLeftPart(UriPartial.Path)}");
        return uri;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
