using BenchmarkDotNet.Attributes;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Bench;

/// <summary>Parse + validate: one log line, a 1 MiB chunk of lines (the fetch stage's unit), one song file.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private BenchData _data = null!;
    private byte[] _line = null!, _chunk = null!, _song = null!;
    private readonly LogEventParser _events = new();
    private readonly SongFileParser _songs = new();
    private readonly RecordBatch _eventRows = new(EventColumns.Table, 4096);
    private readonly List<SongRecord> _songRows = [];
    private readonly List<Reject> _rejects = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = new BenchData();
        (_line, _chunk, _song) = (_data.FirstLine, _data.Chunk(1 << 20), _data.SongFile);
    }

    [GlobalCleanup]
    public void Cleanup() => _data.Dispose();

    [Benchmark]
    public object? LogLine() => _events.Parse(_line, "log_data/2018/11/2018-11-01-events.json", 1).Record;

    [Benchmark]
    public int LogChunk1MiB()
    {
        _eventRows.Clear();
        _rejects.Clear();
        return _events.ParseLines(_chunk, 1, true, "log_data/2018/11/2018-11-01-events.json", _eventRows, _rejects);
    }

    [Benchmark]
    public int SongFile()
    {
        _songRows.Clear();
        _rejects.Clear();
        return _songs.Parse(_song, "song_data/A/B/C/TRABC.json", _songRows, _rejects);
    }
}
