using Microsoft.Extensions.Logging;

namespace Sparkify.Stream.Warehouse;

/// <summary>The warehouse's log messages: where a load's time goes, statement by statement.</summary>
/// <remarks>
/// Event ids are stable and unique in the assembly, one thousand per folder: 1xxx Cli, 2xxx Jobs,
/// 3xxx Warehouse. Here: 3001–3099 a load's statements and commit, and opening the warehouse.
/// </remarks>
internal static partial class WarehouseLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{Script}: {Seconds:F3}s, {Rows} rows: {Statement}")]
    public static partial void StatementDone(ILogger logger, string script, double seconds, int rows, string statement);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "{Table} loaded: {Rows} rows in {Seconds:F3}s")]
    public static partial void StagingLoaded(ILogger logger, string table, long rows, double seconds);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "commit: {Seconds:F3}s")]
    public static partial void Committed(ILogger logger, double seconds);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "the DuckDB warehouse {Path} is in use by another process (a pass of a watcher, a run, a query): waiting up to {Seconds}s for it")]
    public static partial void WaitingForLock(ILogger logger, string path, double seconds);
}
