using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Amazon.Runtime;
using Amazon.S3;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Sources;

public sealed class S3FaultsTests
{
    private static AmazonS3Exception Service(HttpStatusCode status, string? code) =>
        new("message", ErrorType.Sender, code, "request-id", status);

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    [InlineData(HttpStatusCode.BadGateway, null)]
    [InlineData(HttpStatusCode.TooManyRequests, null)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout")]
    [InlineData(HttpStatusCode.BadRequest, "Throttling")]
    public void Server_errors_and_throttling_are_transient(HttpStatusCode status, string? code) =>
        Assert.True(S3Faults.IsTransient(Service(status, code)));

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.Forbidden, null)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey")]
    [InlineData(HttpStatusCode.NotFound, null)]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId")]
    [InlineData(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")]
    [InlineData(HttpStatusCode.MovedPermanently, "PermanentRedirect")]
    public void Missing_or_forbidden_objects_are_permanent(HttpStatusCode status, string? code) =>
        Assert.False(S3Faults.IsTransient(Service(status, code)));

    [Fact]
    public void Connection_resets_and_timeouts_are_transient()
    {
        var reset = new SocketException((int)SocketError.ConnectionReset);
        Assert.True(S3Faults.IsTransient(reset));
        Assert.True(S3Faults.IsTransient(new IOException("Connection reset by peer", reset)));
        Assert.True(S3Faults.IsTransient(new HttpRequestException("send failed", new IOException("reset", reset))));
        Assert.True(S3Faults.IsTransient(new TimeoutException()));
        Assert.True(S3Faults.IsTransient(new TaskCanceledException("timed out", new TimeoutException())));
        Assert.True(S3Faults.IsTransient(new AmazonClientException("wrapped", new IOException("reset"))));
    }

    [Fact]
    public void Cancellation_tls_failures_and_local_file_errors_are_not_transient()
    {
        Assert.False(S3Faults.IsTransient(new OperationCanceledException()));
        Assert.False(S3Faults.IsTransient(new HttpRequestException("tls", new AuthenticationException("bad certificate"))));
        Assert.False(S3Faults.IsTransient(new FileNotFoundException("x")));
        Assert.False(S3Faults.IsTransient(new AmazonClientException("Unable to get IAM security credentials")));
        Assert.False(S3Faults.IsTransient(new InvalidOperationException("bug")));
    }

    [Fact]
    public void Permanent_failure_is_a_one_line_run_failure_naming_the_object()
    {
        var error = S3Faults.Permanent("GET", "s3://bucket/log_data/a.json", Service(HttpStatusCode.NotFound, "NoSuchKey"));

        Assert.Equal(ExitCodes.RunFailed, error.ExitCode);
        Assert.Equal("S3 GET of s3://bucket/log_data/a.json failed: 404 NoSuchKey (the object does not exist)", error.Message);
    }

    [Fact]
    public void Description_of_a_network_failure_is_one_line()
    {
        var text = S3Faults.Describe(new HttpRequestException("line one\nline two", new IOException("reset")));

        Assert.DoesNotContain('\n', text);
        Assert.Contains("HttpRequestException", text, StringComparison.Ordinal);
        Assert.Contains("reset", text, StringComparison.Ordinal);
    }
}
