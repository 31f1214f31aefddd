using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>Writes rejected records to rejects.csv (SPEC §4 columns); safe to call from several blocks.</summary>
internal sealed class RejectSink : IAsyncDisposable
{
    public static readonly string[] Header = ["source_key", "line", "kind", "reason", "field", "message", "raw"];

    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;
    private readonly Lock _gate = new();

    public RejectSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FilePath = path;
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        _csv = new CsvWriter(_writer, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\n",
            // With NewLine set, CsvHelper quotes only fields holding "\n"; a raw record may hold a lone '\r' too,
            // which every CSV reader takes for a line end.
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || args.Field.AsSpan().IndexOfAny('\r', '\n') >= 0,
        });
        foreach (var name in Header) _csv.WriteField(name);
        _csv.NextRecord();
    }

    public string FilePath { get; }

    public long Count { get; private set; }

    public void Write(IReadOnlyList<Reject> rejects)
    {
        if (rejects.Count == 0) return;
        lock (_gate)
        {
            foreach (var r in rejects)
            {
                _csv.WriteField(r.SourceKey);
                _csv.WriteField(r.Line);
                _csv.WriteField(r.Kind);
                _csv.WriteField(r.Reason);
                _csv.WriteField(r.Field);
                _csv.WriteField(r.Message);
                _csv.WriteField(r.Raw);
                _csv.NextRecord();
                Count++;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await _writer.DisposeAsync();
    }
}
