using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Sparkify.Stream.Cli;

/// <summary>
/// Watch mode: a pass, then a poll every interval, until Ctrl+C or SIGTERM. The first signal lets the pass in
/// flight finish and commit, then exits 0; a second one aborts it (nothing of it is committed).
/// </summary>
internal static class WatchLoop
{
    public static async Task<int> RunAsync(Func<Task<int>> pass, int intervalSeconds, ILogger logger, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                logger.LogInformation("stopping after the current pass (press Ctrl+C again to abort it)");
                stop.Cancel();
            }
            else
            {
                logger.LogWarning("aborting: nothing of the unfinished pass is committed");
                Environment.Exit(ExitCodes.RunFailed);
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        logger.LogInformation("watching for new files every {Interval}s; Ctrl+C to stop", intervalSeconds);
        while (true)
        {
            var code = await pass();
            if (code != ExitCodes.Success) return code;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(intervalSeconds), stop.Token);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Success;
            }
        }
    }
}
