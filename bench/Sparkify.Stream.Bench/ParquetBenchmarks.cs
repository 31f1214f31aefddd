using BenchmarkDotNet.Attributes;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Bench;

/// <summary>Parquet staging: 100,000 event rows (one row group) written as a part file.</summary>
[MemoryDiagnoser]
public class ParquetBenchmarks
{
    private const int Rows = 100_000;
    private BenchData _data = null!;
    private string _dir = null!;
    private RecordBatch _events = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = new BenchData();
        _dir = Directory.CreateTempSubdirectory("sparkify-bench-parquet-").FullName;
        var parser = new LogEventParser();
        var parsed = new RecordBatch(EventColumns.Table);
        parser.ParseLines(_data.LogFile, 1, true, "log_data/2018/11/2018-11-01-events.json", parsed, []);
        _events = new RecordBatch(EventColumns.Table, Rows);
        while (_events.Count < Rows) _events.Append(parsed, 0, Math.Min(parsed.Count, Rows - _events.Count));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public async Task<long> Events100k()
    {
        var store = new LocalStagingStore(_dir);
        await using var writer = new ParquetPartWriter(EventColumns.Table, store, "runs/bench", Path.Combine(_dir, "runs/bench"),
            new PartOptions(RowGroupRows: Rows, PartRows: Rows));
        await writer.AddAsync(_events, CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);
        return writer.Rows;
    }
}
