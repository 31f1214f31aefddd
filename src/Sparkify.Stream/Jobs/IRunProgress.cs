using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Jobs;

/// <summary>Who watches a pass while it runs: a live terminal display, or a log line every few seconds.</summary>
internal interface IRunProgress
{
    /// <summary>The pass starts reading <paramref name="files"/>; <paramref name="accounting"/> fills as it goes.</summary>
    void Started(string runId, RunAccounting accounting, IReadOnlyList<SourceObject> files);

    /// <summary>The pass moved on: "ingest", "load_staging/&lt;table&gt;", "merge/&lt;step&gt;", "commit".</summary>
    void Phase(string phase);

    /// <summary>The pass ended (committed, failed or stopped at the reject limit).</summary>
    void Finished();
}
