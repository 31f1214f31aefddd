using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Records;

/// <summary>Matches JSON property names to the columns of a <see cref="StagingTable"/> that read them, on their UTF-8 bytes, by length first.</summary>
internal sealed class FieldNames
{
    private readonly (byte[] Name, int Column)[][] _byLength;
    private readonly byte[]?[] _names;
    private readonly int _maxLength;

    /// <summary>
    /// The column last matched at each position of a record: the simulator writes every line's fields in one order,
    /// so a guess checked with one comparison usually saves the search. Shared by the parse workers without a lock:
    /// a guess is only a hint, always checked.
    /// </summary>
    private readonly int[] _lastAt = [.. Enumerable.Repeat(-1, 32)];

    public FieldNames(StagingTable table)
    {
        var fields = table.Columns.Select((c, i) => (c.Source?.Name, i)).Where(p => p.Name is not null)
            .Select(p => (Name: Encoding.UTF8.GetBytes(p.Name!), Column: p.i)).ToList();
        _maxLength = fields.Max(f => f.Name.Length);
        _names = new byte[]?[table.Columns.Count];
        foreach (var (name, column) in fields) _names[column] = name;
        _byLength = new (byte[], int)[_maxLength + 1][];
        for (var length = 0; length <= _maxLength; length++)
            _byLength[length] = [.. fields.Where(f => f.Name.Length == length)];
    }

    /// <summary>The column that reads the field <paramref name="name"/>, or -1 for a field the table does not read.</summary>
    public int Match(ReadOnlySpan<byte> name)
    {
        if (name.Length > _maxLength) return -1;
        foreach (var (candidate, column) in _byLength[name.Length])
        {
            if (name.SequenceEqual(candidate)) return column;
        }
        return -1;
    }

    /// <summary>As above for the field at <paramref name="position"/> (0, 1, …) of its record.</summary>
    public int Match(ReadOnlySpan<byte> name, int position)
    {
        if ((uint)position >= (uint)_lastAt.Length) return Match(name);
        var guess = _lastAt[position];
        if (guess >= 0 && name.SequenceEqual(_names[guess])) return guess;
        var column = Match(name);
        if (column >= 0) _lastAt[position] = column;
        return column;
    }

    /// <summary>As above for the reader's current property name, decoding its escapes (rare) first.</summary>
    public int Match(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return Match(reader.ValueSpan);
        if (reader.ValueSpan.Length > 6 * _maxLength) return -1; // decodes to more bytes than the longest name
        Span<byte> buffer = stackalloc byte[6 * _maxLength];
        try
        {
            return Match(buffer[..reader.CopyString(buffer)]);
        }
        catch (InvalidOperationException)
        {
            return -1; // a name with a lone surrogate escape is no field of ours
        }
    }
}
