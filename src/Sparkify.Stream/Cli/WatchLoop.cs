using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Sparkify.Stream.Cli;

/// <summary>
/// Watch mode (docs/semantics.md#runs): a pass, then a poll every interval, until SIGINT (Ctrl+C) or SIGTERM.
/// <list type="bullet">
/// <item>First signal: the pass in flight (if any) finishes and commits, then the loop exits 0.</item>
/// <item>Second signal: the pass in flight is cancelled and rolled back (nothing of it is committed); exit 1.</item>
/// <item>Third signal: the default action (the process is terminated at once; still nothing half-committed).</item>
/// </list>
/// System.CommandLine does not see the signals: SparkifyCli invokes it with ProcessTerminationTimeout = null, so
/// these registrations are the only handlers. A failed pass (an exception, or the reason a pass returns for not
/// loading, such as the reject limit) is logged and the loop polls again at the next interval (it committed nothing,
/// and the cause may be passing, e.g. a database restart).
/// </summary>
/// <param name="pass">One pass; returns null when it loaded (or had nothing to load), else why it loaded nothing.</param>
internal sealed class WatchLoop(Func<CancellationToken, Task<string?>> pass, TimeSpan interval, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private int _signals;

    public async Task<int> RunAsync()
    {
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        CliLog.Watching(logger, interval.TotalSeconds);
        while (!_stop.IsCancellationRequested)
        {
            string? failure;
            try
            {
                failure = await pass(_abort.Token);
            }
            catch (Exception ex) when (!_abort.IsCancellationRequested)
            {
                // Any failure but the abort (which SparkifyCli reports: exit 1, nothing committed), timeouts included.
                failure = SparkifyCli.Describe(ex);
            }
            if (failure is not null) CliLog.PassFailed(logger, interval.TotalSeconds, failure);
            try
            {
                await Task.Delay(interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        CliLog.Stopped(logger);
        return ExitCodes.Success;
    }

    private void OnSignal(PosixSignalContext context)
    {
        switch (Interlocked.Increment(ref _signals))
        {
            case 1:
                context.Cancel = true;
                CliLog.Stopping(logger, context.Signal);
                _ = _stop.CancelAsync();   // not inline: the loop's continuation must not run on the signal thread
                break;
            case 2:
                context.Cancel = true;
                CliLog.Aborting(logger, context.Signal);
                _ = _abort.CancelAsync();
                break;
            default:
                context.Cancel = false;   // the default action: terminate now
                break;
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _abort.Dispose();
    }
}
