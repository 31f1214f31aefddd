using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Sparkify.Stream.Cli;

/// <summary>The command line's log messages: configuration warnings, progress lines, watch mode.</summary>
/// <remarks>
/// Event ids are stable and unique in the assembly, one thousand per folder: 1xxx Cli, 2xxx Jobs,
/// 3xxx Warehouse. Here: 1001–1099 start-up and progress, 1101–1199 watch mode.
/// </remarks>
internal static partial class CliLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Progress}")]
    public static partial void Progress(ILogger logger, string progress);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "pausing at {Phase} for {Seconds}s ({Variable} is set: a test-only hook)")]
    public static partial void Pausing(ILogger logger, string phase, double seconds, string variable);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "watching for new or changed files every {Interval}s; Ctrl+C to stop")]
    public static partial void Watching(ILogger logger, double interval);

    /// <param name="error">The failure as <see cref="SparkifyCli.Describe"/> gives it: secrets masked.</param>
    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "the pass failed; trying again in {Interval}s: {Error}")]
    public static partial void PassFailed(ILogger logger, double interval, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information,
        Message = "{Signal}: finishing the current pass, then stopping (again to abort it)")]
    public static partial void Stopping(ILogger logger, PosixSignal signal);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning,
        Message = "{Signal}: aborting the current pass; nothing of it is committed")]
    public static partial void Aborting(ILogger logger, PosixSignal signal);
}
