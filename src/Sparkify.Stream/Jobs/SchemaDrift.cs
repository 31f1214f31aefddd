using System.Text.Json.Serialization;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Jobs;

/// <summary>
/// Schema drift (fields the contract does not have, contract fields that stopped arriving), judged per run and per
/// file from the files' field counts against the warehouse's history of them (<c>sparkify_field_counts</c>).
/// </summary>
/// <remarks>
/// A contract field has <b>vanished</b> from a unit — the run's valid records of a kind, or one file's — when the unit
/// has at least <see cref="MinRecords"/> valid records and:
/// <list type="bullet">
/// <item>with a history of at least <see cref="MinHistory"/> valid records: the share of records that hold the field
/// (present: neither missing nor null) is at most <see cref="MaxPresentRatio"/> of the history's, and that drop is at
/// least <see cref="MinSigmas"/> standard deviations of a binomial at the history's share (so chance cannot produce
/// it); fields present in under <see cref="MinHistoryPresent"/> of the history are never judged;</item>
/// <item>without such a history (a first run): the field is absent from every record of the unit.</item>
/// </list>
/// A field outside the contract is reported (name, records, files, one example) but is never a failure on its own:
/// a new harmless field must not stop a pipeline; a rename shows as a new field and a vanished one, and fails.
/// </remarks>
internal static class SchemaDrift
{
    public const int MinRecords = 100;
    public const long MinHistory = 1_000;
    public const double MaxPresentRatio = 0.5;
    public const double MinSigmas = 4;
    public const double MinHistoryPresent = 0.05;

    /// <summary>Files named per finding (the count is always given).</summary>
    public const int MaxFilesNamed = 10;

    public static DriftReport Judge(IReadOnlyList<FileCounts> files, IReadOnlyList<FieldBaseline> history)
    {
        // Keyed by "kind:field" (a kind has no colon), not by a tuple: see the tallies below.
        var baseline = history.ToDictionary(b => b.Kind + ":" + b.Field, StringComparer.Ordinal);
        var unknown = new List<UnknownFieldReport>();
        var vanished = new List<VanishedFieldReport>();
        var perFile = new Dictionary<string, FileDrift>(StringComparer.Ordinal);

        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            var kindName = kind.Name();
            // Each file's tally read once (FileCounts.Fields takes a lock: 20,000 song files × 10 fields read it 600,000
            // times otherwise, ~45 ms of a run), into a list of a class, not of tuples: LINQ over a value tuple of our
            // types is generic code no ReadyToRun image holds, ~40 ms of JIT compiling in every run.
            var tallied = new List<FileTally>();
            foreach (var f in files)
                if (f.File.Kind == kind && f.Fields is { } fields) tallied.Add(new FileTally(f.File.Key, fields));
            if (tallied.Count == 0) continue;
            tallied.Sort(static (a, b) => string.CompareOrdinal(a.File, b.File));   // keys are unique: a stable order
            var table = tallied[0].Fields.Table;
            var run = new FieldTally(table);
            foreach (var f in tallied) run.Add(f.Fields);
            // Only a file of MinRecords valid records or more is judged on its own (a song file holds one).
            var judged = tallied.Where(f => f.Fields.Records >= MinRecords).ToList();

            foreach (var c in table.SourceOrdinals)
            {
                var field = table.Columns[c].Source!.Name;
                var base_ = baseline.GetValueOrDefault(kindName + ":" + field);
                var flagged = judged
                    .Where(f => Vanished(f.Fields.Records, f.Fields.Missing(c) + f.Fields.Nulls(c), base_))
                    .Select(f => f.File).ToList();
                var absent = run.Missing(c) + run.Nulls(c);
                var inRun = Vanished(run.Records, absent, base_);
                if (!inRun && flagged.Count == 0) continue;
                foreach (var key in flagged) Of(perFile, key).VanishedFields.Add(field);
                vanished.Add(new VanishedFieldReport(kindName, field, inRun ? "run" : "files", run.Records,
                    run.Missing(c), run.Nulls(c), Share(absent, run.Records), HistoryShare(base_), flagged.Count,
                    [.. flagged.Take(MaxFilesNamed)]));
            }

            foreach (var name in tallied.SelectMany(f => f.Fields.Unknown.Keys).Distinct(StringComparer.Ordinal)
                         .Order(StringComparer.Ordinal))
            {
                var carrying = tallied.Where(f => f.Fields.Unknown.ContainsKey(name)).ToList();
                foreach (var f in carrying) Of(perFile, f.File).UnknownFields[name] = f.Fields.Unknown[name].Seen;
                unknown.Add(new UnknownFieldReport(kindName, name, carrying.Sum(f => f.Fields.Unknown[name].Seen),
                    carrying.Count, carrying[0].File, carrying[0].Fields.Unknown[name].Example));
            }
            var unnamed = tallied.Sum(f => f.Fields.OtherUnknown);
            if (unnamed > 0)
            {
                unknown.Add(new UnknownFieldReport(kindName, "(more names)", unnamed,
                    tallied.Count(f => f.Fields.OtherUnknown > 0), tallied.First(f => f.Fields.OtherUnknown > 0).File,
                    $"over {FieldTally.MaxUnknownNames} other names in one file; not named"));
            }
        }
        return new DriftReport(unknown, vanished, perFile);
    }

    /// <summary>Whether a unit of <paramref name="records"/> valid records, <paramref name="absent"/> of them without the field, shows it vanished.</summary>
    public static bool Vanished(long records, long absent, FieldBaseline? history)
    {
        if (records < MinRecords) return false;
        var present = (records - absent) / (double)records;
        if (history is null || history.Records < MinHistory) return absent == records;
        var expected = (history.Records - history.Absent) / (double)history.Records;
        if (expected < MinHistoryPresent) return false;
        if (present > expected * MaxPresentRatio) return false;
        var sigma = Math.Sqrt(records * expected * (1 - expected));
        return (expected - present) * records >= MinSigmas * sigma;
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round(part / (double)whole, 4);

    private static double? HistoryShare(FieldBaseline? history) =>
        history is null || history.Records < MinHistory ? null : Share(history.Absent, history.Records);

    /// <summary>A file's key and its field counts.</summary>
    private sealed record FileTally(string File, FieldTally Fields);

    private static FileDrift Of(Dictionary<string, FileDrift> perFile, string key)
    {
        if (!perFile.TryGetValue(key, out var drift)) perFile[key] = drift = new FileDrift();
        return drift;
    }
}

/// <summary>The drift found in a run (report.json's <c>drift</c>).</summary>
internal sealed record DriftReport(
    IReadOnlyList<UnknownFieldReport> UnknownFields,
    IReadOnlyList<VanishedFieldReport> VanishedFields,
    [property: JsonIgnore] IReadOnlyDictionary<string, FileDrift>? PerFile = null)
{
    [JsonIgnore] public bool Found => UnknownFields.Count > 0 || VanishedFields.Count > 0;

    /// <summary>One line for people: every finding, the first few files of each.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        foreach (var v in VanishedFields)
        {
            var where = v.Scope == "run"
                ? $"{v.ShareAbsent:P0} of the run's {v.Records:N0} valid {v.Kind}s lack it"
                : $"in {v.Files:N0} file{(v.Files == 1 ? "" : "s")} ({v.FileKeys[0]}{(v.Files > 1 ? ", …" : "")})";
            var history = v.HistoryShareAbsent is { } h ? $"history {h:P0}" : "no history yet";
            parts.Add($"{v.Kind} field {v.Field} vanished: {where} ({v.Missing:N0} missing, {v.Nulls:N0} null; {history})");
        }
        foreach (var u in UnknownFields)
        {
            parts.Add($"{u.Kind} field {u.Field} is not in the contract: {u.Records:N0} records in {u.Files:N0} " +
                      $"file{(u.Files == 1 ? "" : "s")} ({u.FirstFile}), e.g. {u.Example}");
        }
        return string.Join("; ", parts);
    }
}

/// <param name="Records">Records that carried it (valid or not).</param>
internal sealed record UnknownFieldReport(
    string Kind,
    string Field,
    long Records,
    int Files,
    string FirstFile,
    string Example);

/// <param name="Scope">"run": vanished from the run's records of the kind; "files": only from the files named.</param>
/// <param name="Records">The run's valid records of the kind; Missing, Nulls and ShareAbsent are over them.</param>
/// <param name="HistoryShareAbsent">The share of the history's records without the field; null without a history.</param>
internal sealed record VanishedFieldReport(
    string Kind,
    string Field,
    string Scope,
    long Records,
    long Missing,
    long Nulls,
    double ShareAbsent,
    double? HistoryShareAbsent,
    int Files,
    IReadOnlyList<string> FileKeys);

/// <summary>One file's drift (report.json's per_file entries).</summary>
internal sealed class FileDrift
{
    public SortedDictionary<string, long> UnknownFields { get; init; } = new(StringComparer.Ordinal);
    public List<string> VanishedFields { get; init; } = [];
}
