using Microsoft.Extensions.Logging;

namespace Sparkify.Stream.Jobs;

/// <summary>The jobs' log messages: a pass's plan, phases and runtime, staging clean-up.</summary>
/// <remarks>
/// Event ids are stable and unique in the assembly, one thousand per folder: 1xxx Cli, 2xxx Jobs,
/// 3xxx Warehouse (2xxx were the Pipeline folder's until RunJob moved here; the ids stay). Here: 2001–2099 a pass
/// (RunJob), 2101–2199 staging retention, 2201–2299 load packages.
/// </remarks>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "poll: {Listed} files listed, none new or changed")]
    public static partial void NothingNew(ILogger logger, int listed);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "run {RunId}: {Listed} files listed, {Todo} to load, {Skipped} already loaded")]
    public static partial void RunPlanned(ILogger logger, string runId, int listed, int todo, int skipped);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug,
        Message = "runtime: {Allocated:N0} MB allocated, GCs gen0 {Gen0} gen1 {Gen1} gen2 {Gen2}, {Pause:N2}s paused")]
    public static partial void Runtime(ILogger logger, long allocated, int gen0, int gen1, int gen2, double pause);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "phase {Phase}")]
    public static partial void Phase(ILogger logger, string phase);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information,
        Message = "no DuckDB warehouse at {Path} yet: nothing is loaded, every listed file of the shard counts as new")]
    public static partial void NoWarehouseYet(ILogger logger, string path);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning,
        Message = "the {Kind} source {Source} holds {Count} file(s) and none is a kind sparkify reads ({Kinds}): {Files}")]
    public static partial void NoInputFiles(ILogger logger, string kind, string source, int count, string kinds, string files);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "--replace: the {Count:N0} songplays of {From}…{To} in the warehouse are deleted and replaced by what the " +
            "range's log files hold now, whatever source or file they came from")]
    public static partial void Replacing(ILogger logger, long count, string from, string to);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning,
        Message = "schema drift (SchemaDrift rules; --on-drift fail stops a run when a field vanished): {Findings}")]
    public static partial void DriftFound(ILogger logger, string findings);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information,
        Message = "package {RunId} staged: {Files} files, {Events} events, {Songs} songs (shard {Shard})")]
    public static partial void PackageStaged(ILogger logger, string runId, int files, long events, long songs, string shard);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information,
        Message = "loading {Count} staged package(s) in {Layers} layer(s) without reading their files again: {Packages}")]
    public static partial void PackagesLoading(ILogger logger, int count, int layers, string packages);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "package {RunId} superseded: {Why}")]
    public static partial void PackageSuperseded(ILogger logger, string runId, string why);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information,
        Message = "package {RunId} was committed by a load that stopped before it could say so: marked loaded")]
    public static partial void PackageWasCommitted(ILogger logger, string runId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "could not list old runs in the staging area: {Error}")]
    public static partial void OldRunsNotListed(ILogger logger, string error);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "deleted the staging folder of old run {RunId}")]
    public static partial void OldRunDeleted(ILogger logger, string runId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "could not delete the staging folder of old run {RunId}: {Error}")]
    public static partial void OldRunNotDeleted(ILogger logger, string runId, string error);
}
