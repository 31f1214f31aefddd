using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.IntegrationTests.Infrastructure;

/// <summary>
/// The S3-compatible server in <c>SPARKIFY_TEST_S3_ENDPOINT</c> (moto, MinIO) for one test class: clients
/// for it, and a fresh bucket per test (<see cref="CreateBucketAsync"/>), emptied and deleted afterwards.
/// Use it as <c>IClassFixture&lt;S3Fixture&gt;</c>. Fails (never skips) when the endpoint is not set.
/// </summary>
public sealed class S3Fixture : IAsyncLifetime
{
    public const string HowToProvide =
        "No S3 endpoint for the integration tests: set " + TestEnvironment.S3EndpointVariable +
        "=http://127.0.0.1:PORT (an S3-compatible server such as `moto_server -p PORT`), or run scripts/test.sh " +
        "(it starts moto_server on a loopback port).";

    public const string Region = "us-east-1";

    private readonly ConcurrentBag<string> _buckets = [];
    private IAmazonS3? _client;
    private Uri? _endpoint;

    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException(HowToProvide);

    /// <summary>A client with the production settings (path-style, retries), for setting up and checking buckets.</summary>
    public IAmazonS3 Client => _client ?? throw new InvalidOperationException(HowToProvide);

    /// <summary>Explicit dummy credentials when the environment has none (emulators accept any).</summary>
    public static AWSCredentials? Credentials =>
        TestEnvironment.Get("AWS_ACCESS_KEY_ID") is null
            ? new BasicAWSCredentials("sparkify-test", "sparkify-test-secret-key")
            : null;

    /// <summary>The production client settings for the endpoint (path-style addressing, SDK retries).</summary>
    internal S3Settings Settings => new() { Endpoint = Endpoint.ToString(), Region = Region };

    /// <summary>A new production client for the endpoint; <paramref name="http"/> lets a test count or break requests.</summary>
    public IAmazonS3 CreateClient(HttpClientFactory? http = null) => S3ClientFactory.Create(Settings, Credentials, http);

    /// <summary>A new client with other settings (e.g. fewer SDK retries), for the endpoint.</summary>
    internal IAmazonS3 CreateClient(Func<S3Settings, S3Settings> change, HttpClientFactory? http = null) =>
        S3ClientFactory.Create(change(Settings), Credentials, http);

    /// <summary>
    /// Creates a bucket only this test uses (with a location constraint when given: <c>EU</c>, <c>us-west-2</c>);
    /// it is emptied and deleted when the class's tests end.
    /// </summary>
    public async Task<string> CreateBucketAsync(string? locationConstraint = null)
    {
        var name = $"sparkify-test-{Guid.NewGuid():N}"[..40];
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name, BucketRegionName = locationConstraint });
        _buckets.Add(name);
        return name;
    }

    public async Task InitializeAsync()
    {
        var endpoint = TestEnvironment.Get(TestEnvironment.S3EndpointVariable) ?? throw new InvalidOperationException(HowToProvide);
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new InvalidOperationException($"{TestEnvironment.S3EndpointVariable} is not an http(s) URL: {endpoint}");
        await EnsureAnswersAsync(uri);
        _endpoint = uri;
        _client = CreateClient();
    }

    // Fail in seconds, not after the SDK's retries, when nothing listens at the endpoint.
    private static async Task EnsureAnswersAsync(Uri endpoint)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{TestEnvironment.S3EndpointVariable}={endpoint} does not answer ({e.Message}). {HowToProvide}", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_client is null) return;
        foreach (var bucket in _buckets) await DeleteBucketAsync(_client, bucket);
        _client.Dispose();
    }

    private static async Task DeleteBucketAsync(IAmazonS3 client, string bucket)
    {
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Objects = objects.Select(o => new KeyVersion { Key = o.Key }).ToList(),
                });
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        await client.DeleteBucketAsync(bucket);
    }
}
