using System.Globalization;
using System.Text;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Jobs;

/// <summary>The rejects of one reason and field in a run: how many, and the first of them (by file, then line).</summary>
internal sealed record RejectGroup(string Reason, string? Field, long Count, Reject First)
{
    /// <summary>"log_data/2018/11/2018-11-01-events.json:17".</summary>
    public string FirstAt => string.Create(CultureInfo.InvariantCulture, $"{First.SourceKey}:{First.Line}");
}

/// <summary>A run whose rejects are readable: its id and its report.json.</summary>
internal sealed record RejectedRun(string RunId, RunReport Report)
{
    public string RejectsPath => $"{RunPaths.Prefix(RunId)}/rejects.csv";
}

/// <summary>
/// <c>sparkify rejects</c>: finds a run in the staging area (local or S3), reads its rejects.csv back (formula escapes
/// undone, <see cref="RejectsCsv"/>) and groups the rejects by reason and field.
/// </summary>
internal static class RejectSummary
{
    public const string Latest = "latest";

    /// <summary>
    /// The run <paramref name="selector"/> names, or with <see cref="Latest"/> the newest run (run ids sort by their
    /// UTC start) whose report.json names a rejects file — a `sparkify load` run stages nothing, so it has none, and a
    /// run that failed before its report is skipped. A run named but absent, or without such a report, is exit 2.
    /// </summary>
    public static async Task<RejectedRun> FindRunAsync(IStagingStore store, string selector, CancellationToken ct)
    {
        var runs = new List<string>();
        await foreach (var run in store.ListRunsAsync(ct)) runs.Add(run);
        runs.Sort(StringComparer.Ordinal);
        if (selector == Latest)
        {
            for (var i = runs.Count - 1; i >= 0; i--)
                if (await RunReport.ReadAsync(store, runs[i], ct) is { RejectsFile: not null } report) return new(runs[i], report);
            throw new ConfigurationException(
                $"no run in the staging area {store.Description} has a report.json naming a rejects.csv ({runs.Count} run folder(s))");
        }
        if (!runs.Contains(selector, StringComparer.Ordinal))
            throw new ConfigurationException($"no run {selector} in the staging area {store.Description}; give a run id " +
                "(the folder under runs/, see 'sparkify packages') or 'latest'");
        var found = await RunReport.ReadAsync(store, selector, ct)
            ?? throw new ConfigurationException($"run {selector} has no report.json: it failed before writing one or is still running");
        return found.RejectsFile is null
            ? throw new ConfigurationException($"run {selector} wrote no rejects.csv: it staged nothing (a 'sparkify load' " +
                "run; the stage runs of its packages hold their rejects)")
            : new RejectedRun(selector, found);
    }

    /// <summary>The run's rejects in file order, read from the staging area (an S3 object is downloaded first, with retries).</summary>
    public static async IAsyncEnumerable<Reject> ReadAsync(IStagingStore store, RejectedRun run,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var content = await StagingReads.OpenSeekableAsync(store, store.UrlOf(run.RejectsPath), ct);
        await foreach (var reject in RejectsCsv.ReadAsync(content, ct)) yield return reject;
    }

    /// <summary>Groups by reason and field: most rejects first, then by reason and field name.</summary>
    public static async Task<IReadOnlyList<RejectGroup>> GroupAsync(IAsyncEnumerable<Reject> rejects, CancellationToken ct)
    {
        var groups = new Dictionary<(string Reason, string Field), (long Count, Reject First)>();
        await foreach (var reject in rejects.WithCancellation(ct))
        {
            var key = (reject.Reason, reject.Field ?? "");
            groups[key] = groups.TryGetValue(key, out var group)
                ? (group.Count + 1, IsBefore(reject, group.First) ? reject : group.First)
                : (1, reject);
        }
        return [.. groups
            .Select(g => new RejectGroup(g.Key.Reason, g.Value.First.Field, g.Value.Count, g.Value.First))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Reason, StringComparer.Ordinal)
            .ThenBy(g => g.Field ?? "", StringComparer.Ordinal)];
    }

    /// <summary>
    /// A raw record cut for a table cell: control characters as escapes (<c>\r</c>, <c>\n</c>, <c>\t</c>,
    /// <c>\u001b</c>), at most <paramref name="maxChars"/> characters of the record, "…" when cut.
    /// </summary>
    public static string Sample(string raw, int maxChars)
    {
        var text = new StringBuilder();
        var length = Math.Min(raw.Length, maxChars);
        if (length < raw.Length && length > 0 && char.IsHighSurrogate(raw[length - 1])) length--;
        foreach (var c in raw.AsSpan(0, length))
        {
            switch (c)
            {
                case '\r': text.Append("\\r"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '\u007f': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }
        return length < raw.Length ? text.Append('…').ToString() : text.ToString();
    }

    private static bool IsBefore(Reject a, Reject b)
    {
        var byKey = string.CompareOrdinal(a.SourceKey, b.SourceKey);
        return byKey < 0 || (byKey == 0 && a.Line < b.Line);
    }

}
