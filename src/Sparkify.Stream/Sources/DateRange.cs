using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparkify.Stream.Sources;

/// <summary>An inclusive range of log dates; either end may be open.</summary>
internal sealed record DateRange(DateOnly? From, DateOnly? To)
{
    public static readonly DateRange All = new(null, null);

    public bool IsOpen => From is null && To is null;

    public bool Contains(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    /// <summary>Whether a log file with this (possibly unknown) date belongs in the range.</summary>
    public bool Admits(DateOnly? date) => date is { } d ? Contains(d) : IsOpen;
}

/// <summary>Reads <c>YYYY-MM-DD</c> from a log file's name (the date of a log file is read from its name: docs/semantics.md#inputs).</summary>
internal static partial class LogFileDates
{
    [GeneratedRegex(@"(\d{4})-(\d{2})-(\d{2})", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    public static DateOnly? FromKey(string key)
    {
        var slash = key.LastIndexOfAny(['/', '\\']);
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        var match = DatePattern().Match(name);
        if (!match.Success) return null;
        return DateOnly.TryParseExact(match.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var date) ? date : null;
    }
}
