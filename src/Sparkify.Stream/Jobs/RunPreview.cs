using Sparkify.Stream.Configuration;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Jobs;

/// <summary>What a run would do with a listed file (<c>--dry-run</c>), in the order the listing shows them.</summary>
internal enum FileAction
{
    /// <summary>Not in the ledger: read.</summary>
    New,

    /// <summary>In the ledger at another version (the file was rewritten): read again.</summary>
    Changed,

    /// <summary>In the ledger at this version, read again all the same (<c>--reload</c>, <c>backfill --replace</c>).</summary>
    Again,

    /// <summary>Held by a waiting package at this version: loaded from it (a run), or left to the loader (staging).</summary>
    InPackage,

    /// <summary>In the ledger at this version: not read.</summary>
    Skipped,
}

internal static class FileActions
{
    /// <summary>The word the dry run prints.</summary>
    public static string Name(this FileAction action) => action switch
    {
        FileAction.New => "new",
        FileAction.Changed => "changed",
        FileAction.Again => "re-read",
        FileAction.InPackage => "in-package",
        _ => "skipped",
    };
}

/// <summary>A listed file and what the run would do with it.</summary>
internal sealed record PlannedFile(SourceObject File, FileAction Action);

/// <summary>
/// What <c>backfill --replace</c> would delete from the star schema: every songplay of the range's days or from the
/// range's re-read log files (exact), and at most <paramref name="Time"/> time rows (those no other songplay uses; the
/// re-read plays put back theirs). Users, songs and artists are never deleted.
/// </summary>
/// <param name="Totals">Each star table's rows now.</param>
internal sealed record ReplacePreview(long Songplays, long Time, IReadOnlyDictionary<string, long> Totals);

/// <summary>A dry run's answer: what a run with these options would read, load, delete and prune.</summary>
/// <param name="Endpoint">Where the warehouse is; null when there is none yet (a DuckDB file not made).</param>
/// <param name="WarehouseExists">The warehouse holds sparkify's tables (a load ledger); false: every file is new.</param>
/// <param name="Prune">The staging folders of earlier runs the run would delete (--keep-runs).</param>
internal sealed record RunPreview(
    RunMode Mode, string Target, string? Endpoint, bool WarehouseExists, IReadOnlyList<PlannedFile> Files,
    IReadOnlyList<StoredPackage> Packages, IReadOnlyList<(StoredPackage Package, string Why)> Superseded,
    ReplacePreview? Replace, IReadOnlyList<string> Prune);
