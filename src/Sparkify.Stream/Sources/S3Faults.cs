using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Amazon.Runtime;

namespace Sparkify.Stream.Sources;

/// <summary>
/// Classifies S3 failures in one place: transient ones (5xx, throttling, timeouts, resets) are worth another try;
/// permanent ones (access denied, missing bucket or key, rejected credentials) end the run with a one-line message.
/// </summary>
internal static class S3Faults
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
        "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed",
    };

    private static readonly HashSet<string> PermanentCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AllAccessDisabled", "NoSuchBucket", "NoSuchKey", "NotFound", "InvalidBucketName",
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AuthorizationHeaderMalformed",
        "PermanentRedirect", "InvalidObjectState", "PreconditionFailed",
    };

    /// <summary>Whether another attempt at the same request may succeed.</summary>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AmazonServiceException service => IsTransient(service),
            FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => false,
            AuthenticationException => false,
            // A timeout surfaces as a cancellation whose cause is a TimeoutException; a caller's cancellation is not a fault.
            OperationCanceledException canceled => canceled.InnerException is TimeoutException,
            IOException or HttpRequestException or SocketException or TimeoutException or WebException =>
                exception.InnerException is not AuthenticationException,
            AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
            _ => exception.InnerException is { } inner && IsTransient(inner),
        };
    }

    /// <summary>Whether a failure came from talking to S3 at all (the service, the client, the network), transient or not.</summary>
    public static bool IsS3Failure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or IOException
            or HttpRequestException or OperationCanceledException or TimeoutException;

    private static bool IsTransient(AmazonServiceException e)
    {
        if (e.ErrorCode is { } code)
        {
            if (TransientCodes.Contains(code)) return true;
            if (PermanentCodes.Contains(code)) return false;
        }
        var status = (int)e.StatusCode;
        if (status >= 500 || status is 429 or 408) return true;
        if (status is >= 400 and < 500) return false;
        // No HTTP status: the request never got an answer; the cause decides.
        return e.InnerException is { } inner && IsTransient(inner);
    }

    /// <summary>A short, single-line description of a failure, for messages (no credentials: only codes and statuses).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AmazonServiceException service && (service.ErrorCode is not null || service.StatusCode != 0))
        {
            var status = service.StatusCode == 0 ? "" : $"{(int)service.StatusCode} ";
            return $"{status}{service.ErrorCode ?? service.StatusCode.ToString()}{Hint(service)}";
        }
        var text = $"{exception.GetType().Name}: {exception.Message}";
        if (exception.InnerException is { } inner) text += $" ({inner.GetType().Name}: {inner.Message})";
        return OneLine(text);
    }

    /// <summary>The exception a permanent failure ends the run with (exit 1): names the bucket/key, never credentials.</summary>
    public static SparkifyException Permanent(string operation, string location, Exception cause) =>
        new($"S3 {operation} of {location} failed: {Describe(cause)}", ExitCodes.RunFailed, cause);

    private static string Hint(AmazonServiceException e) => e.ErrorCode switch
    {
        "NoSuchBucket" => " (the bucket does not exist)",
        "NoSuchKey" or "NotFound" => " (the object does not exist)",
        "AccessDenied" or "AllAccessDisabled" => " (the credentials may not access it)",
        "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" => " (the AWS credentials were rejected)",
        "PreconditionFailed" => " (the object was replaced after it was listed: run again to read its new version)",
        "PermanentRedirect" or "AuthorizationHeaderMalformed" => " (the bucket is in another region: check [S3] REGION)",
        _ => "",
    };

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
