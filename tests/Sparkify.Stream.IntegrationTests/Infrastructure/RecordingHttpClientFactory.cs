using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;

namespace Sparkify.Stream.IntegrationTests.Infrastructure;

/// <summary>One HTTP request the S3 client sent, as seen on the wire (path-style: <c>/bucket/key</c>).</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string? Fault)
{
    public bool HasQuery(string name) =>
        Query.TrimStart('?').Split('&').Any(p => p == name || p.StartsWith(name + "=", StringComparison.Ordinal));
}

/// <summary>What to do to the n-th request (1-based); null passes it through untouched.</summary>
internal delegate InjectedFault? FaultPlan(int requestNumber, HttpRequestMessage request);

/// <summary>A fault the handler injects instead of (or into) the server's answer.</summary>
public enum InjectedFault
{
    InternalError500,
    ServiceUnavailable503,
    SlowDown503,
    ConnectionReset,
    AccessDenied403,
    /// <summary>The server's answer, but its body breaks off halfway with a reset.</summary>
    BodyResetMidway,
    /// <summary>The server's answer, but its body ends early (fewer bytes than Content-Length).</summary>
    BodyTruncated,
}

/// <summary>
/// An SDK <see cref="HttpClientFactory"/> whose handler records every request and can inject faults, so tests can
/// assert which requests were (not) made and that faults are survived. One HttpClient per factory: the SDK's global
/// HttpClient cache is bypassed so requests of different tests never mix.
/// </summary>
internal sealed class RecordingHttpClientFactory : HttpClientFactory
{
    private readonly Handler _handler;
    private readonly HttpClient _client;

    public RecordingHttpClientFactory(FaultPlan? faults = null)
    {
        _handler = new Handler(faults);
        _client = new HttpClient(_handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Every request sent so far, in order, faults included.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => _handler.Log;

    /// <summary>How many faults were injected so far.</summary>
    public int FaultCount => _handler.Log.Count(r => r.Fault is not null);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => $"recording-{GetHashCode()}";

    /// <summary>Every <paramref name="n"/>-th request fails, cycling through <paramref name="kinds"/>.</summary>
    public static FaultPlan EveryNth(int n, params InjectedFault[] kinds) =>
        (number, _) => number % n == 0 ? kinds[number / n % kinds.Length] : null;

    private sealed class Handler : DelegatingHandler
    {
        private readonly FaultPlan? _faults;
        private int _count;

        public Handler(FaultPlan? faults) : base(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            _faults = faults;
        }

        public ConcurrentQueue<RecordedRequest> Log { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var number = Interlocked.Increment(ref _count);
            var fault = _faults?.Invoke(number, request);
            var uri = request.RequestUri!;
            Log.Enqueue(new RecordedRequest(request.Method.Method, Uri.UnescapeDataString(uri.AbsolutePath), uri.Query, fault?.ToString()));
            switch (fault)
            {
                case InjectedFault.InternalError500:
                    return Error(request, HttpStatusCode.InternalServerError, "InternalError", "We encountered an internal error.");
                case InjectedFault.ServiceUnavailable503:
                    return Error(request, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Service unavailable.");
                case InjectedFault.SlowDown503:
                    return Error(request, HttpStatusCode.ServiceUnavailable, "SlowDown", "Please reduce your request rate.");
                case InjectedFault.AccessDenied403:
                    return Error(request, HttpStatusCode.Forbidden, "AccessDenied", "Access Denied");
                case InjectedFault.ConnectionReset:
                    throw new HttpRequestException("An error occurred while sending the request.",
                        new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)));
            }
            var response = await base.SendAsync(request, ct);
            if (fault is InjectedFault.BodyResetMidway or InjectedFault.BodyTruncated && response.IsSuccessStatusCode)
                await BreakBodyAsync(response, fault.Value, ct);
            return response;
        }

        private static async Task BreakBodyAsync(HttpResponseMessage response, InjectedFault fault, CancellationToken ct)
        {
            var original = response.Content;
            var bytes = await original.ReadAsByteArrayAsync(ct);
            var content = new StreamContent(new BrokenStream(bytes, bytes.Length / 2, fault == InjectedFault.BodyResetMidway));
            foreach (var header in original.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            content.Headers.ContentLength = bytes.Length;
            response.Content = content;
            original.Dispose();
        }

        private static HttpResponseMessage Error(HttpRequestMessage request, HttpStatusCode status, string code, string message)
        {
            var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message>" +
                      "<RequestId>injected</RequestId></Error>";
            var content = new StringContent(request.Method == HttpMethod.Head ? "" : xml, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            return new HttpResponseMessage(status) { RequestMessage = request, Content = content };
        }
    }

    /// <summary>Gives the first <c>cut</c> bytes, then either a reset or a premature end.</summary>
    private sealed class BrokenStream(byte[] bytes, int cut, bool reset) : MemoryStream(bytes, 0, cut, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => Check(base.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Check(base.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Check(await base.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Check(int read) =>
            read == 0 && reset ? throw new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)) : read;
    }
}
