using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Sources;

public sealed class ResilienceTests
{
    private static AmazonS3Exception Service(HttpStatusCode status, string code) =>
        new("message", ErrorType.Sender, code, "request-id", status);

    [Fact]
    public async Task A_transient_fault_is_tried_the_configured_number_of_times_with_growing_waits()
    {
        var clock = new NoWaiting();
        var pipeline = Resilience.ForReads(5, S3Faults.IsTransient, clock);
        var fault = Service(HttpStatusCode.ServiceUnavailable, "SlowDown");
        var calls = 0;

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            pipeline.ExecuteAsync(_ => { calls++; throw fault; }, CancellationToken.None).AsTask());

        Assert.Same(fault, error);
        Assert.Equal(5, calls);
        AssertFourGrowingWaits(clock);
    }

    /// <summary>200, 400, 800, 1600 ms, each 0.5 to 1.5 times as long (jitter).</summary>
    internal static void AssertFourGrowingWaits(NoWaiting clock)
    {
        Assert.Equal(4, clock.Waits.Count);
        foreach (var (wait, retry) in clock.Waits.Select((w, i) => (w.TotalMilliseconds, i)))
            Assert.InRange(wait, 100 * Math.Pow(2, retry), 300 * Math.Pow(2, retry));
    }

    [Fact]
    public async Task A_read_that_succeeds_after_transient_faults_returns_its_result()
    {
        var pipeline = Resilience.ForReads(5, S3Faults.IsTransient, new NoWaiting());
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new IOException("reset") : ValueTask.FromResult(calls), CancellationToken.None);

        Assert.Equal(3, result);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey")]
    public async Task A_permanent_fault_is_not_retried(HttpStatusCode status, string code)
    {
        var clock = new NoWaiting();
        var pipeline = Resilience.ForReads(5, S3Faults.IsTransient, clock);
        var calls = 0;

        await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            pipeline.ExecuteAsync(_ => { calls++; throw Service(status, code); }, CancellationToken.None).AsTask());

        Assert.Equal(1, calls);
        Assert.Empty(clock.Waits);
    }

    [Fact]
    public async Task Cancellation_during_the_wait_stops_the_retries()
    {
        using var cts = new CancellationTokenSource();
        var pipeline = Resilience.ForReads(5, S3Faults.IsTransient, new NoWaiting(onWait: cts.Cancel));
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            pipeline.ExecuteAsync(_ => { calls++; throw new IOException("reset"); }, cts.Token).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_fault_after_cancellation_is_not_retried_and_surfaces_as_it_is()
    {
        using var cts = new CancellationTokenSource();
        var pipeline = Resilience.ForReads(5, S3Faults.IsTransient, new NoWaiting());
        var calls = 0;

        await Assert.ThrowsAsync<IOException>(() => pipeline.ExecuteAsync(_ =>
        {
            calls++;
            cts.Cancel();
            throw new IOException("reset");
        }, cts.Token).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        var calls = 0;

        await Assert.ThrowsAsync<IOException>(() => Resilience.ForReads(1, S3Faults.IsTransient)
            .ExecuteAsync(_ => { calls++; throw new IOException("reset"); }, CancellationToken.None).AsTask());

        Assert.Equal(1, calls);
    }

    /// <summary>
    /// Records each wait Polly asks for and ends it at once; with <c>onWait</c> (which cancels), the wait is left to
    /// that cancellation alone — a timer due at once would race it (a CI run saw the retry win: flaky).
    /// </summary>
    internal sealed class NoWaiting(Action? onWait = null) : TimeProvider
    {
        public ConcurrentQueue<TimeSpan> Waits { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Waits.Enqueue(dueTime);
            onWait?.Invoke();
            return System.CreateTimer(callback, state, onWait is null ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, period);
        }
    }
}
