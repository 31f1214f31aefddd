namespace Sparkify.Stream.Configuration;

/// <summary>What a run does with what it reads, as the command chose it.</summary>
internal enum RunMode
{
    /// <summary>
    /// <c>sparkify</c>, <c>sparkify run</c>, <c>sparkify backfill</c>: stage the files the ledger does not hold at their
    /// current version, then load them (and any package still waiting) and merge.
    /// </summary>
    Load,

    /// <summary>
    /// <c>sparkify backfill --replace</c>: re-read the range's log files whatever the ledger holds, and let the load
    /// replace the range's songplays with what they hold now. Packages left waiting are not loaded by it.
    /// </summary>
    Replace,

    /// <summary>
    /// <c>sparkify stage</c>, <c>run --stage-only</c>: stage a package and stop, for <c>sparkify load</c>; reads the
    /// ledger only to skip what is loaded, never writes to the warehouse.
    /// </summary>
    Stage,
}
