using System.Text;
using CsvHelper;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Pipeline;

/// <summary>Writes rejected records to rejects.csv (<see cref="RejectsCsv"/>: the columns of docs/semantics.md#rejects, formulas escaped); safe to call from several blocks.</summary>
internal sealed class RejectSink : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;
    private readonly Lock _gate = new();

    public RejectSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FilePath = path;
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        _csv = new CsvWriter(_writer, RejectsCsv.WriterConfiguration());
        foreach (var name in RejectsCsv.Header) _csv.WriteField(name);
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
