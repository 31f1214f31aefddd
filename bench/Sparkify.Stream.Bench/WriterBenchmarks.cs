using BenchmarkDotNet.Attributes;
using Parquet;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Bench;

/// <summary>
/// The staging Parquet writer, chosen by measurement (issue 15): the same event rows (row groups of 65,536, as staged)
/// written as one part file by the hand-written writer, by ParquetSharp's column writers and by Parquet.Net's
/// column API, one thread each. Managed allocations only: ParquetSharp's C++ buffers are native memory (the
/// end-to-end run's peak RSS shows them).
/// </summary>
/// <remarks>dotnet run -c Release --project bench/Sparkify.Stream.Bench -- --filter '*WriterBenchmarks*' --job short</remarks>
[MemoryDiagnoser]
public class WriterBenchmarks
{
    private StagedEvents _events = null!;
    private string _dir = null!;
    private string _path = null!;

    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = StagedEvents.Load(Rows);
        _dir = Directory.CreateTempSubdirectory("sparkify-bench-writers-").FullName;
        _path = Path.Combine(_dir, "part-00000.parquet");
    }

    /// <summary>Where the benchmarks write their part file.</summary>
    public string OutputFolder => _dir;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true)]
    public long HandWritten()
    {
        using var stream = new FileStream(_path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var writer = new PartFileWriter(stream, StagingParquet.EventSchema);
        var columns = new HandWrittenColumns(writer);
        foreach (var group in _events.Groups) group.WriteTo(columns);
        writer.Complete();
        return stream.Length;
    }

    [Benchmark]
    public long ParquetSharp() => WriteParquetSharp(statistics: true);

    /// <summary>ParquetSharp without the column statistics it writes by default (the hand-written writer has none).</summary>
    [Benchmark]
    public long ParquetSharpNoStats() => WriteParquetSharp(statistics: false);

    private long WriteParquetSharp(bool statistics)
    {
        using (var writer = new ParquetSharpPartWriter(_path, StagingParquet.EventSchema, statistics))
        {
            foreach (var group in _events.Groups) group.WriteTo(writer);
            writer.Complete();
        }
        return new FileInfo(_path).Length;
    }

    [Benchmark]
    public async Task<long> ParquetNet()
    {
        await using var stream = new FileStream(_path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var fields = StagingParquet.EventSchema.DataFields;
        await using (var writer = await ParquetWriter.CreateAsync(StagingParquet.EventSchema, stream))
        {
            foreach (var g in _events.Groups)
            {
                using var rg = writer.CreateRowGroup();
                await rg.WriteAsync<long>(fields[0], g.EventId);
                await rg.WriteAsync<long>(fields[1], g.Ts);
                await rg.WriteAsync<int>(fields[2], g.UserId);
                for (var t = 0; t < g.Texts.Length; t++) await rg.WriteAsync(fields[3 + t], g.Texts[t]!);
                await rg.WriteAsync<double>(fields[14], g.Length);
                await rg.WriteAsync<int>(fields[15], g.ItemInSession);
                await rg.WriteAsync<int>(fields[16], g.SessionId);
                await rg.WriteAsync<int>(fields[17], g.Status);
                await rg.WriteAsync<long>(fields[18], g.Registration);
                await rg.WriteAsync(fields[19], g.SourceKey);
                await rg.WriteAsync<int>(fields[20], g.SourceLine);
            }
        }
        return stream.Length;
    }
}
