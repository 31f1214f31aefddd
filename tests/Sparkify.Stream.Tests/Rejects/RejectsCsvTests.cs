using System.Globalization;
using System.Text;
using CsvHelper;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Rejects;

/// <summary>rejects.csv: no cell a spreadsheet would run as a formula (OWASP CSV injection), every text read back exactly.</summary>
public sealed class RejectsCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-rejects-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Texts =
    [
        .. RejectsCheck.FormulaLines, "", "=", "-", "\t", "\r", "\r\n=x", "a\nb", "\"", "\"\"", "'\"=x\"", " =space",
        "{\"ts\":1,\"song\":\"a, \\\"b\\\"\"}", "Bj\uFFFDrk", "😀=",
    ];

    private async Task<string> WriteAsync()
    {
        var path = Path.Combine(_dir, "rejects.csv");
        await using (var sink = new RejectSink(path))
        {
            sink.Write([.. Texts.Select((t, i) => new Reject(i % 2 == 0 ? "log_data/a.json" : "=b.json", i + 1, "event",
                RejectReason.MalformedJson, i % 3 == 0 ? null : "-field", "=message " + t, t))]);
        }
        return path;
    }

    [Fact]
    public async Task Raw_text_starting_with_a_formula_character_reads_back_exactly()
    {
        var path = await WriteAsync();

        var read = new List<Reject>();
        await using (var file = File.OpenRead(path))
            await foreach (var reject in RejectsCsv.ReadAsync(file, CancellationToken.None)) read.Add(reject);

        Assert.Equal(Texts, read.Select(r => r.Raw));
        Assert.Equal(Texts.Select(t => "=message " + t), read.Select(r => r.Message));
        Assert.Equal(Texts.Select((_, i) => i % 3 == 0 ? null : "-field"), read.Select(r => r.Field));
        Assert.Equal(Texts.Select((_, i) => i % 2 == 0 ? "log_data/a.json" : "=b.json"), read.Select(r => r.SourceKey));
        Assert.Equal(Enumerable.Range(1, Texts.Length), read.Select(r => r.Line));
    }

    [Fact]
    public async Task No_cell_of_rejects_csv_starts_with_a_formula_character()
    {
        var path = await WriteAsync();
        var content = await File.ReadAllTextAsync(path);
        Assert.Contains("\"'=1+2\"", content, StringComparison.Ordinal);   // CsvHelper's escape: quoted, a leading '
        Assert.Contains("\"'\r=cr\"", content, StringComparison.Ordinal);
        Assert.Contains("\"''=quoted\"", content, StringComparison.Ordinal);   // a leading ' gets one more

        // What a spreadsheet (or any CSV reader) sees: no cell starts with = + - @ tab or CR.
        using var reader = new StreamReader(path, new UTF8Encoding(false));
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var cells = 0;
        while (csv.Read())
        {
            foreach (var cell in csv.Record!)
            {
                cells++;
                Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal), $"row {csv.Row}: {cell}");
            }
        }
        Assert.Equal((Texts.Length + 1) * RejectsCsv.Header.Length, cells);
    }

    [Fact]
    public async Task A_file_with_another_header_is_not_read_as_rejects()
    {
        var path = Path.Combine(_dir, "other.csv");
        await File.WriteAllTextAsync(path, "a,b\n1,2\n");
        await using var file = File.OpenRead(path);
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in RejectsCsv.ReadAsync(file, CancellationToken.None)) { }
        });
    }
}
