using System.Net.Sockets;
using System.Text;

namespace Sparkify.Stream.IntegrationTests.Infrastructure;

/// <summary>Answers quickly whether a Docker engine is reachable, before Testcontainers is asked to start anything.</summary>
internal static class DockerProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> EngineAnswersAsync()
    {
        var host = TestEnvironment.Get("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                var path = host["unix://".Length..];
                return File.Exists(path) && await PingAsync(new UnixDomainSocketEndPoint(path), cts.Token);
            }
            if (host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var uri))
            {
                using var http = new HttpClient { Timeout = Timeout };
                using var response = await http.GetAsync(new Uri($"http://{uri.Authority}/_ping"), cts.Token);
                return response.IsSuccessStatusCode;
            }
            return false;
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> PingAsync(UnixDomainSocketEndPoint endpoint, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(endpoint, ct);
        await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, ct);
        var buffer = new byte[64];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
        return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
    }
}
