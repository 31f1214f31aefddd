using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Sources;

/// <summary>
/// <see cref="Resilience.RunAsync{T}"/>: the first attempt outside the pipeline, a failed one handed to it — the same
/// attempts, waits and classification as running every attempt inside it.
/// </summary>
public sealed class ResilienceRunTests
{
    [Fact]
    public async Task A_read_that_succeeds_at_once_is_one_call_and_no_wait()
    {
        var clock = new ResilienceTests.NoWaiting();
        var calls = 0;
        var pipeline = Resilience.ForReadsWhenNeeded(5, S3Faults.IsTransient, clock);
        var result = await Resilience.RunAsync(pipeline, _ => ValueTask.FromResult(++calls), CancellationToken.None);
        Assert.Equal((1, 1), (result, calls));
        Assert.Empty(clock.Waits);
        Assert.False(pipeline.IsValueCreated);   // no fault, so the Polly pipeline was never built
    }

    [Fact]
    public async Task A_transient_first_fault_counts_as_the_first_of_the_configured_attempts_with_the_same_waits()
    {
        var clock = new ResilienceTests.NoWaiting();
        var fault = new IOException("connection reset");
        var calls = 0;
        var error = await Assert.ThrowsAsync<IOException>(() => Resilience.RunAsync<int>(
            Resilience.ForReadsWhenNeeded(5, S3Faults.IsTransient, clock), _ => { calls++; throw fault; }, CancellationToken.None));
        Assert.Same(fault, error);
        Assert.Equal(5, calls);
        ResilienceTests.AssertFourGrowingWaits(clock);
    }

    [Fact]
    public async Task A_read_that_succeeds_after_faults_returns_its_result_and_a_permanent_first_fault_is_not_retried()
    {
        var clock = new ResilienceTests.NoWaiting();
        var calls = 0;
        var result = await Resilience.RunAsync(Resilience.ForReadsWhenNeeded(5, S3Faults.IsTransient, clock),
            _ => ++calls < 3 ? throw new IOException("reset") : ValueTask.FromResult(calls), CancellationToken.None);
        Assert.Equal(3, result);
        Assert.Equal(2, clock.Waits.Count);

        var denied = 0;
        await Assert.ThrowsAsync<AmazonS3Exception>(() => Resilience.RunAsync<int>(
            Resilience.ForReadsWhenNeeded(5, S3Faults.IsTransient, clock),
            _ => { denied++; throw new AmazonS3Exception("denied", ErrorType.Sender, "AccessDenied", "id", HttpStatusCode.Forbidden); },
            CancellationToken.None));
        Assert.Equal(1, denied);
        Assert.Equal(2, clock.Waits.Count);
    }
}
