using System.Globalization;
using System.Text;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Records;

/// <summary>
/// The validation table of docs/semantics.md, the rules in code (<see cref="ValidationRules"/>) and the parsers agree: the table
/// is parsed and compared cell by cell, and every rule's boundaries are parsed through the real parsers.
/// </summary>
public sealed class ValidationRulesTests
{
    [Fact]
    public void Semantics_validation_table_matches_the_rules_in_code()
    {
        var table = MarkdownTable("docs/semantics.md", "## Validation rules");

        Assert.Equal(["record", "field", "type", "required", "range", "reasons", "notes"], table[0]);
        var expected = ValidationRules.All.Select(r => string.Join(" | ", r.Cells)).ToList();
        var actual = table.Skip(1).Select(cells => string.Join(" | ", cells)).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_contract_field_has_a_rule()
    {
        string[] events =
        [
            "artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length", "level", "location",
            "method", "page", "registration", "sessionId", "song", "status", "ts", "userAgent", "userId",
        ];
        string[] songs =
        [
            "num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location", "artist_name",
            "song_id", "title", "duration", "year",
        ];
        Assert.Equal(events.Order(), ValidationRules.Events.Select(r => r.Field).Where(f => f != ValidationRules.WholeRecord).Order());
        Assert.Equal(songs.Order(), ValidationRules.Songs.Select(r => r.Field).Where(f => f != ValidationRules.WholeRecord).Order());
        Assert.All(ValidationRules.All, r => Assert.Equal(RejectReason.All.Where(r.Reasons.Contains), r.Reasons));
    }

    public static TheoryData<string, string> Rules()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in ValidationRules.All) data.Add(rule.Kind.Name(), rule.Field);
        return data;
    }

    /// <summary>
    /// Each rule's boundary values through the real parser: the value at each end of the range loads, the one just
    /// outside is out_of_range, a value of another type is wrong_type, and so on — and the reasons seen are exactly
    /// the rule's reasons.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_holds_in_the_parser(string kind, string field)
    {
        var rule = ValidationRules.All.Single(r => r.Kind.Name() == kind && r.Field == field);
        var probes = rule.Field == ValidationRules.WholeRecord ? RecordProbes(rule) : FieldProbes(rule);
        var seen = new HashSet<string>();
        foreach (var (json, expected) in probes)
        {
            var (reason, rejectedField) = Parse(rule.Kind, json);
            Assert.True(expected == reason, $"{kind} {field} = {Show(json)}: expected {expected ?? "valid"}, got {reason ?? "valid"}");
            if (reason is null) continue;
            seen.Add(reason);
            Assert.Equal(rule.Field == ValidationRules.WholeRecord || reason == RejectReason.MalformedJson ? null : rule.Field, rejectedField);
        }
        Assert.Equal(rule.Reasons.Order(), seen.Order());
    }

    /// <summary>(field JSON or null to remove it, expected reason or null for valid).</summary>
    private static IEnumerable<(byte[] Json, string? Reason)> FieldProbes(FieldRule rule)
    {
        (byte[], string?) With(string? value, string? reason) => (Record(rule.Kind, rule.Field, value), reason);
        var missing = rule.Required ? RejectReason.MissingField : null;
        yield return With(null, missing);
        yield return With("null", missing);
        switch (rule.Type)
        {
            case "INT" or "BIGINT":
                var (typeMin, typeMax) = rule.Type == "INT" ? ((decimal)int.MinValue, (decimal)int.MaxValue) : (long.MinValue, long.MaxValue);
                var lo = rule.Min ?? typeMin;
                var hi = rule.MaxExclusive ? rule.Max!.Value - 1 : rule.Max ?? typeMax;
                yield return With(N(lo), null);
                yield return With(N(lo - 1), RejectReason.OutOfRange);
                yield return With(N(hi), null);
                yield return With(N(hi + 1), RejectReason.OutOfRange);
                yield return With($"\"{N(hi)}\"", null);                      // a number in a string: taken
                yield return With(N(lo) + ".0", null);                        // integral, written with a fraction
                yield return With("1.5", RejectReason.WrongType);
                yield return With("\"x\"", RejectReason.WrongType);
                yield return With("true", RejectReason.WrongType);
                break;
            case "DOUBLE":
                if (rule.Min is { } min)
                {
                    yield return With(N(min), null);
                    yield return With(N(min - 0.001m), RejectReason.OutOfRange);
                }
                if (rule.Max is { } max)
                {
                    yield return With(N(max), null);
                    yield return With(N(max + 0.001m), RejectReason.OutOfRange);
                }
                yield return With("1e400", RejectReason.OutOfRange);             // beyond DOUBLE
                yield return With("\"12.5\"", null);
                yield return With("\"x\"", RejectReason.WrongType);
                yield return With("[]", RejectReason.WrongType);
                break;
            case "VARCHAR":
                yield return With("\"" + new string('a', 65_535) + "\"", null);
                yield return With("\"" + new string('a', 65_536) + "\"", RejectReason.TooLong);
                yield return With("\"\"", missing);
                yield return With("42", null);                                  // a number's text
                yield return With("{}", RejectReason.WrongType);
                yield return With("[\"a\"]", RejectReason.WrongType);
                yield return With("\"\\ud800\"", RejectReason.InvalidUtf8);      // a lone surrogate escape
                break;
            default:
                throw new InvalidOperationException($"no probes for type {rule.Type}");
        }
    }

    private static IEnumerable<(byte[] Json, string? Reason)> RecordProbes(FieldRule rule)
    {
        var valid = Record(rule.Kind, "none", null);
        yield return (valid, null);
        yield return ([.. valid[..5], 0xFF, .. valid[5..]], RejectReason.InvalidUtf8);
        yield return (Encoding.UTF8.GetBytes("[" + Encoding.UTF8.GetString(valid) + "]"),
            rule.Kind == RecordKind.Song ? null : RejectReason.MalformedJson);   // a song file may hold an array
        yield return ("42"u8.ToArray(), RejectReason.MalformedJson);
        yield return (valid[..^1], RejectReason.MalformedJson);
    }

    private static (string? Reason, string? Field) Parse(RecordKind kind, byte[] json)
    {
        if (kind == RecordKind.Event)
        {
            var outcome = new LogEventParser().Parse(json, EventLines.Key, 1);
            return (outcome.Reject?.Reason, outcome.Reject?.Field);
        }
        var songs = new List<SongRecord>();
        var rejects = new List<Reject>();
        Assert.Equal(1, new SongFileParser().Parse(json, SongFiles.Key, songs, rejects));
        return rejects.Count == 0 ? (null, null) : (rejects[0].Reason, rejects[0].Field);
    }

    /// <summary>A valid record of <paramref name="kind"/> with <paramref name="field"/> set to raw JSON (null removes it).</summary>
    private static byte[] Record(RecordKind kind, string field, string? json) => Encoding.UTF8.GetBytes(kind == RecordKind.Event
        ? EventLines.Json((field, json))
        : SongFiles.SongWith(field, json));

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Show(byte[] json)
    {
        var text = Encoding.UTF8.GetString(json);
        return text.Length > 120 ? text[..120] + "…" : text;
    }

    /// <summary>
    /// The first Markdown table after <paramref name="heading"/> in <paramref name="file"/> (relative to the repository
    /// root): rows of cells, backticks removed.
    /// </summary>
    internal static List<string[]> MarkdownTable(string file, string heading)
    {
        var lines = File.ReadAllLines(RepoFile(file));
        var start = Array.FindIndex(lines, l => l.Trim() == heading);
        Assert.True(start >= 0, $"{file} has no '{heading}' section");
        var rows = lines.Skip(start + 1)
            .SkipWhile(l => !l.TrimStart().StartsWith('|'))
            .TakeWhile(l => l.TrimStart().StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray())
            .ToList();
        Assert.True(rows.Count > 2, $"{file} '{heading}' has no table");
        Assert.Matches("^-+$", rows[1][0].Replace(":", "", StringComparison.Ordinal));   // the separator row
        rows.RemoveAt(1);
        return rows;
    }

    internal static string RepoFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, name);
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) return path;
        }
        throw new FileNotFoundException($"{name} not found above {AppContext.BaseDirectory}");
    }
}
