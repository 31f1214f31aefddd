using System.Diagnostics;

namespace Sparkify.Stream.Records;

/// <summary>
/// What the records of one file (or one chunk of it) held, field by field, for schema-drift checks: per contract
/// field how many valid records lacked it (missing) or held null (JSON null, or the empty string that reads as
/// NULL), and every field outside the contract by name with how often it appeared and one example value.
/// </summary>
/// <remarks>Not thread-safe: a parse worker fills its own, and <see cref="Add"/> merges them under the caller's lock.</remarks>
internal sealed class FieldTally(StagingTable table)
{
    /// <summary>Field names outside the contract kept per file; a flood of new names beyond it is counted, not named.</summary>
    public const int MaxUnknownNames = 50;

    private Dictionary<string, UnknownField>? _unknown;

    public StagingTable Table { get; } = table;

    /// <summary>Valid records counted.</summary>
    public long Records { get; private set; }

    // Per column, valid records by the field's state (Missing, Null, Empty; Value is not counted, and a valid record has
    // no Bad field).
    private const int States = 4;
    private readonly long[] _byState = new long[table.Columns.Count * States];

    /// <summary>Valid records without the field of column <paramref name="column"/>.</summary>
    public long Missing(int column) => _byState[(column * States) + (int)ValueState.Missing];

    /// <summary>Valid records where the field of column <paramref name="column"/> was null (or the empty string read as NULL).</summary>
    public long Nulls(int column) =>
        _byState[(column * States) + (int)ValueState.Null] + _byState[(column * States) + (int)ValueState.Empty];

    /// <summary>Occurrences of names beyond <see cref="MaxUnknownNames"/> (not named).</summary>
    public long OtherUnknown { get; private set; }

    /// <summary>Fields outside the contract, by name (ordinal order when read).</summary>
    public IReadOnlyDictionary<string, UnknownField> Unknown =>
        _unknown ?? (IReadOnlyDictionary<string, UnknownField>)EmptyUnknown;

    private static readonly Dictionary<string, UnknownField> EmptyUnknown = new(StringComparer.Ordinal);

    public bool IsEmpty => Records == 0 && _unknown is null && OtherUnknown == 0;

    /// <summary>Counts a valid record's absent contract fields.</summary>
    public void CountValid(RecordValues values)
    {
        Records++;
        var states = values.States;
        var byState = _byState;
        foreach (var c in Table.SourceOrdinals)
        {
            // Most fields hold a value, which needs no count (Records less the others): a predictable branch, not a store.
            var state = states[c];
            Debug.Assert(state <= ValueState.Value, "a valid record has no bad field");
            if (state != ValueState.Value) byState[(c * States) + (int)state]++;
        }
    }

    /// <summary>A field outside the contract, met in a record (valid or not).</summary>
    /// <param name="example">How its value is shown (<see cref="FieldRules.Describe"/>): kept for the first occurrence.</param>
    /// <param name="name">The field's name; one over <see cref="Reject.MaxRawBytes"/> UTF-8 bytes is kept cut to that
    /// (like a reject's raw text), so every name fits the warehouse's VARCHAR (Redshift: 65,535 bytes).</param>
    public void CountUnknown(string name, string example) =>
        AddUnknown(name.Length * 3 <= Reject.MaxRawBytes || System.Text.Encoding.UTF8.GetByteCount(name) <= Reject.MaxRawBytes
            ? name
            : RawText.Raw(System.Text.Encoding.UTF8.GetBytes(name)), 1, example);

    /// <summary><paramref name="seen"/> more records carrying the field <paramref name="name"/>.</summary>
    private void AddUnknown(string name, long seen, string example)
    {
        _unknown ??= new Dictionary<string, UnknownField>(StringComparer.Ordinal);
        if (_unknown.TryGetValue(name, out var field))
        {
            field.Seen += seen;
            if (IsBlank(field.Example) && !IsBlank(example)) field.Example = example;   // a telling example
        }
        else if (_unknown.Count < MaxUnknownNames)
        {
            _unknown[name] = new UnknownField { Seen = seen, Example = example };
        }
        else
        {
            OtherUnknown += seen;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts (the same table's) to these.</summary>
    public void Add(FieldTally other)
    {
        if (!ReferenceEquals(other.Table, Table)) throw new ArgumentException("tallies of two tables", nameof(other));
        Records += other.Records;
        for (var i = 0; i < _byState.Length; i++) _byState[i] += other._byState[i];
        OtherUnknown += other.OtherUnknown;
        if (other._unknown is null) return;
        foreach (var (name, field) in other._unknown) AddUnknown(name, field.Seen, field.Example);
    }

    /// <summary>An example that tells nothing of the field's values: null or the empty string.</summary>
    private static bool IsBlank(string example) => example is "null" or "\"\"";

    /// <summary>Forgets every count (a worker reuses its tally from file to file).</summary>
    public void Clear()
    {
        Records = 0;
        OtherUnknown = 0;
        Array.Clear(_byState);
        _unknown = null;
    }
}

/// <summary>A field outside the contract: how many records carried it, and the first value seen.</summary>
internal sealed class UnknownField
{
    public long Seen { get; set; }

    /// <summary>The first value seen that is not null or empty (else the first one), as FieldRules.Describe shows it.</summary>
    public required string Example { get; set; }
}
