using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// The format of rejects.csv (its columns: docs/semantics.md#rejects), written by <see cref="RejectSink"/> and read back by
/// <see cref="ReadAsync"/>. People open it in spreadsheets, and a raw record is whatever the input held: a cell that
/// starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR would run as a formula (OWASP "CSV injection"), so
/// CsvHelper's <see cref="InjectionOptions.Escape"/> writes such a cell quoted with a leading <c>'</c>.
/// </summary>
/// <remarks>
/// The escape is undone on reading, so the exact text stays recoverable: <c>'</c> is an injection character here too,
/// which makes the escape a bijection — a cell that starts with <c>'</c> gets one more, and reading drops the first
/// <c>'</c> of a cell exactly when the next character is one of <see cref="InjectionCharacters"/>. Any other reader
/// sees the escaped text (e.g. <c>'=1+2</c>, <c>''quoted</c>); <c>sparkify rejects --format json</c> prints the raw
/// text unescaped.
/// </remarks>
internal static class RejectsCsv
{
    public static readonly string[] Header = ["source_key", "line", "kind", "reason", "field", "message", "raw"];

    public const char EscapeCharacter = '\'';

    /// <summary>CsvHelper's default injection characters (= @ + - tab CR) and the escape character itself.</summary>
    public static readonly char[] InjectionCharacters = ['=', '@', '+', '-', '\t', '\r', EscapeCharacter];

    /// <summary>The writer's configuration: LF line ends, any CR or LF quoted, formula-leading cells escaped.</summary>
    public static CsvConfiguration WriterConfiguration() => new(CultureInfo.InvariantCulture)
    {
        NewLine = "\n",
        // With NewLine set, CsvHelper quotes only fields holding "\n"; a raw record may hold a lone '\r' too,
        // which every CSV reader takes for a line end.
        ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || args.Field.AsSpan().IndexOfAny('\r', '\n') >= 0,
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = InjectionCharacters,
        InjectionEscapeCharacter = EscapeCharacter,
    };

    /// <summary>A cell's text as it was before <see cref="InjectionOptions.Escape"/>.</summary>
    public static string Unescape(string cell) =>
        cell.Length >= 2 && cell[0] == EscapeCharacter && InjectionCharacters.Contains(cell[1]) ? cell[1..] : cell;

    /// <summary>The rejects of a rejects.csv, in file order, every cell unescaped; an empty field is null.</summary>
    public static async IAsyncEnumerable<Reject> ReadAsync(System.IO.Stream content, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(content, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        if (!await csv.ReadAsync()) yield break;
        csv.ReadHeader();
        if (csv.HeaderRecord is not { } header || !header.SequenceEqual(Header, StringComparer.Ordinal))
            throw new InvalidDataException(
                $"not a rejects.csv: the header is '{string.Join(",", csv.HeaderRecord ?? [])}', not '{string.Join(",", Header)}'");
        while (await csv.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            var line = Unescape(csv.GetField(1) ?? "");
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                throw new InvalidDataException($"rejects.csv row {csv.Parser.Row}: line '{line}' is not a number");
            var field = Unescape(csv.GetField(4) ?? "");
            yield return new Reject(Unescape(csv.GetField(0) ?? ""), number, Unescape(csv.GetField(2) ?? ""),
                Unescape(csv.GetField(3) ?? ""), field.Length == 0 ? null : field, Unescape(csv.GetField(5) ?? ""),
                Unescape(csv.GetField(6) ?? ""));
        }
    }
}
